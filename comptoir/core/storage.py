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
