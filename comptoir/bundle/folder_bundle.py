"""A bundle file and the pictures and documents it names in the folder beside it
(docs/bundle.md, "Pictures"); zip_bundle.py reads the same from a zip."""

from pathlib import Path, PurePosixPath
from typing import BinaryIO


class FileProblem(ValueError):
    """Why a file named by a bundle's `path` cannot be read; the message follows the path."""


def relative_problem(relative: str) -> str | None:
    """None for a path inside the bundle (relative, `/` between folders, no `..`)."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or "\\" in relative or ".." in pure.parts or ":" in relative:
        return "must be a path relative to the bundle's folder, without '..'"
    return None


class FolderBundle:
    """A bundle file, and the files it names in its folder."""

    def __init__(self, path: Path):
        self.path = path
        self.folder = path.resolve().parent

    def open_json(self) -> BinaryIO:
        return self.path.open("rb")

    def read(self, relative: str, limit: int) -> bytes:
        """The file's bytes, at most `limit` + 1 of them: more says it is too large."""
        if problem := relative_problem(relative):
            raise FileProblem(problem)
        path = self.folder / Path(*PurePosixPath(relative).parts)
        if not path.is_file():
            raise FileProblem(f"no file {relative!r} beside the bundle")
        try:
            with path.open("rb") as handle:
                return handle.read(limit + 1)
        except OSError as exc:
            raise FileProblem(f"cannot be read: {exc.strerror}") from None
