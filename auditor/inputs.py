"""The inputs of a run: files, directories (recursive), globs and zip archives, in a stable order.

Each input becomes ``Source``s: a display name and a way to get its bytes. Order: the order of
the arguments; inside a directory, a glob or an archive, sorted names. A path that yields nothing
readable becomes a source carrying its error, so that it is reported and the run goes on.
"""

from __future__ import annotations

import glob
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import ReportReadError

MAX_BYTES = 20 * 1024 * 1024  # the largest published report PDFs are a few MB
ARCHIVE_SEPARATOR = "!"  # "batch.zip!2023/report.html"
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Source:
    """One input to audit: its name as reported, the file (and archive member) it comes from,
    or the error that makes it unreadable."""

    name: str
    path: str | None = None
    member: str | None = None
    error: str | None = None

    def read(self) -> bytes:
        """The input's bytes. Raises ``ReportReadError`` naming the input and the problem."""
        if self.error is not None:
            raise ReportReadError(self.name, self.error)
        if self.member is not None:
            return _read_member(self.name, self.path or "", self.member)
        return _read_file(self.name, Path(self.path or self.name))


def _read_file(name: str, file: Path) -> bytes:
    if name.strip() == "":
        raise ReportReadError(name, "empty path")
    try:
        if not file.is_file():
            if file.is_symlink() and not file.exists():
                raise ReportReadError(name, "broken symbolic link, or a link loop")
            raise ReportReadError(name, "not a file" if file.exists() else "no such file")
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise ReportReadError(name, f"file is {size / 2**20:.0f} MB, more than the {MAX_BYTES // 2**20} MB a report can be")
        return file.read_bytes()
    except OSError as exc:
        raise ReportReadError(name, f"cannot read: {exc.strerror or exc}") from exc


def _read_member(name: str, archive: str, member: str) -> bytes:
    try:
        with zipfile.ZipFile(archive) as zipped:
            info = zipped.getinfo(member)
            if info.file_size > MAX_BYTES:
                raise ReportReadError(name, f"archive member is {info.file_size / 2**20:.0f} MB, more than {MAX_BYTES // 2**20} MB")
            return zipped.read(member)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError) as exc:
        raise ReportReadError(name, f"cannot read from the archive: {exc}") from exc


def expand(arguments: Sequence[str], suffixes: set[str]) -> Iterator[Source]:
    """Sources for command-line arguments: files as given (read whatever their name), directories
    walked recursively for files whose suffix a reader handles (hidden entries skipped), globs
    expanded (``**`` recursive), zip archives opened for their report members."""
    for argument in arguments:
        path = Path(argument)
        if argument.strip() and not path.exists() and _GLOB_CHARS & set(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            files = [m for m in matches if Path(m).is_file()]
            if not files:
                yield Source(argument, error="no file matches this pattern")
            for match in files:
                yield from _file_or_archive(match, suffixes)
        elif argument.strip() and path.is_dir():
            found = False
            for file in sorted(path.rglob("*")):
                parts = file.relative_to(path).parts
                if file.is_file() and not any(p.startswith(".") for p in parts):
                    if file.suffix.lower() in suffixes:
                        found = True
                        yield Source(str(file), str(file))
                    elif file.suffix.lower() == ".zip":
                        found = True
                        yield from _archive(str(file), suffixes)
            if not found:
                yield Source(argument, error=f"no report files ({', '.join(sorted(suffixes))}) in this directory")
        else:
            yield from _file_or_archive(argument, suffixes)


def _file_or_archive(argument: str, suffixes: set[str]) -> Iterator[Source]:
    if argument.lower().endswith(".zip") and Path(argument).is_file():
        yield from _archive(argument, suffixes)
    else:
        yield Source(argument, argument)


def _archive(path: str, suffixes: set[str]) -> Iterator[Source]:
    try:
        with zipfile.ZipFile(path) as zipped:
            members = sorted(
                i.filename for i in zipped.infolist()
                if not i.is_dir() and Path(i.filename).suffix.lower() in suffixes
                and not any(p.startswith((".", "__MACOSX")) for p in Path(i.filename).parts)
            )
    except (OSError, zipfile.BadZipFile) as exc:
        yield Source(path, error=f"not a readable zip archive: {exc}")
        return
    if not members:
        yield Source(path, error=f"no report files ({', '.join(sorted(suffixes))}) in this archive")
    for member in members:
        yield Source(f"{path}{ARCHIVE_SEPARATOR}{member}", path, member)
