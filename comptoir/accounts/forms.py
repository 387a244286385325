"""Form fields of the accounts area shared by the back office and the company's own pages."""

from django import forms

from comptoir.accounts.selectors import role_choices


class RoleChoiceField(forms.ChoiceField):
    """A role among the built-in ones and the store's, read afresh on every form."""

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(choices=role_choices, **kwargs)
