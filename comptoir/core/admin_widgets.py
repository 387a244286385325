"""Back-office building blocks shared by the apps' admin modules.

- `LongInlineMixin`: an inline for lists that can grow long (price entries, order rules):
  autocomplete fields rendered without one query per row, and beyond `max_shown` rows only
  new rows are offered, the existing ones being edited in the model's own (paginated) list.
- `PrivateFileWidget`: a file input whose "currently" link goes to a back-office view,
  for documents kept in the private storage (no public URL).
"""

from django.contrib.admin.widgets import AdminFileWidget, AutocompleteSelect
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete select that can be handed its selected object.

    Django's widget looks up the label of the selected option with one query per widget,
    so N queries for an inline of N rows. The formset below hands each row's widget the
    object its queryset already loaded with `select_related`.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        obj = self.preloaded
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        remote_opts = self.field.remote_field.model._meta
        to_field = getattr(self.field.remote_field, "field_name", remote_opts.pk.attname)
        to_field = remote_opts.get_field(to_field).attname
        if obj is None or selected != {str(getattr(obj, to_field))}:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(obj)
        options.append(
            self.create_option(name, getattr(obj, to_field), label, selected, len(options))
        )
        return [(None, options, 0)]


class LongInlineFormSet(BaseInlineFormSet):
    """Hands preloaded related objects to the rows; may hide the existing rows."""

    show_existing = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.show_existing:
            self.queryset = self.queryset.none()

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        instance = form.instance
        if instance.pk is None:
            return form
        # The row's title (its __str__) may name the parent: hand it over, don't fetch it.
        setattr(instance, self.fk.name, self.instance)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, PreloadedAutocompleteSelect):
                continue
            model_field = instance._meta.get_field(name)
            if model_field.is_cached(instance):
                widget.preloaded = getattr(instance, name)
        return form


class LongInlineMixin:
    """For `InlineModelAdmin`: use with `autocomplete_fields` for the foreign keys to big tables.

    The inline's queryset follows its autocomplete foreign keys (`select_related`); when the
    parent holds more than `max_shown` rows, the inline offers only new rows and its title
    says where the existing ones are edited.
    """

    formset = LongInlineFormSet
    max_shown = 100
    extra = 1

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        foreign_keys = [
            name
            for name in self.get_autocomplete_fields(request)
            if self.model._meta.get_field(name).many_to_one
        ]
        return queryset.select_related(*foreign_keys) if foreign_keys else queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        total = 0
        if obj is not None and obj.pk is not None:
            total = self.model._default_manager.filter(**{formset.fk.name: obj}).count()
        formset.show_existing = total <= self.max_shown
        if not formset.show_existing:
            self.verbose_name_plural = _(
                "%(items)s: %(count)s, too many to edit here (edit them in the "
                "%(items_lower)s list, filtered by this %(parent)s); add new ones below"
            ) % {
                "items": self.model._meta.verbose_name_plural.capitalize(),
                "items_lower": self.model._meta.verbose_name_plural,
                "count": total,
                "parent": self.parent_model._meta.verbose_name,
            }
        return formset


class _PrivateFile:
    """A stored file as the file widget's template reads it, with a back-office URL."""

    def __init__(self, file, url):
        self.file = file
        self.url = url

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]


class PrivateFileWidget(AdminFileWidget):
    """Links the current document to `url_name` (an admin URL taking the object's pk)."""

    def __init__(self, url_name, attrs=None):
        self.url_name = url_name
        super().__init__(attrs)

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))

    def format_value(self, value):
        if not self.is_initial(value):
            return None
        instance = getattr(value, "instance", None)
        if instance is None or instance.pk is None:
            return None
        return _PrivateFile(value, reverse(self.url_name, args=[instance.pk]))
