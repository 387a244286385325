"""The private storage of uploaded documents (settings `STORAGES["default"]`).

Its files are under `PRIVATE_MEDIA_ROOT`, outside every folder that is served, and they have
no URL: a document reaches a browser only through a view that checks who asks (for
certificates, `comptoir.tax.views.certificate_document`). Django's FileSystemStorage would
fall back to `MEDIA_URL` for a URL; this one refuses, so that no template can link a file
by its stored name.
"""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError(
            f"{name}: private files have no URL; serve them through a view that checks access."
        )


# The public storage of the store's logo: MEDIA_ROOT and MEDIA_URL like product pictures
# (catalog/media.py serves both), read when first used and again after a change of settings.
public_media = FileSystemStorage()
