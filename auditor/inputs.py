"""The inputs of a run: files, directories (recursive), globs and zip archives, in a stable order.

Each input becomes ``Source``s: a display name and a way to get its bytes. Order: the order of
the arguments; inside a directory, a glob or an archive, sorted names. A path that yields nothing
readable becomes a source carrying its error, so that it is reported and the run goes on.
"""

from __future__ import annotations

import glob
import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from auditor.i18n import Message
from auditor.errors import ReportReadError

MAX_BYTES = 20 * 1024 * 1024  # the largest published report PDFs are a few MB
ARCHIVE_SEPARATOR = "!"  # "batch.zip!2023/report.html"
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Source:
    """One input to audit: its name as reported, the file (and archive member, by its index in
    the archive: two members may share a name) it comes from, or the error that makes it
    unreadable."""

    name: str
    path: str | None = None
    member: int | None = None
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
        raise ReportReadError(name, Message("empty path"))
    try:
        if not file.is_file():
            if file.is_symlink() and not file.exists():
                raise ReportReadError(name, Message("broken symbolic link, or a link loop"))
            raise ReportReadError(name, Message("not a file") if file.exists() else Message("no such file"))
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise ReportReadError(name, Message("file is {size:.0f} MB, more than the {most} MB a report can be",
                                                 size=size / 2**20, most=MAX_BYTES // 2**20))
        return file.read_bytes()
    except OSError as exc:
        raise ReportReadError(name, Message("cannot read: {problem}", problem=str(exc.strerror or exc))) from exc


def _read_member(name: str, archive: str, member: int) -> bytes:
    try:
        with zipfile.ZipFile(archive) as zipped:
            info = zipped.infolist()[member]
            if info.file_size > MAX_BYTES:
                raise ReportReadError(name, Message("archive member is {size:.0f} MB, more than {most} MB",
                                                     size=info.file_size / 2**20, most=MAX_BYTES // 2**20))
            return zipped.read(info)
    except (OSError, IndexError, KeyError, EOFError, zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError) as exc:
        raise ReportReadError(name, Message("cannot read from the archive ({problem}): the zip file is damaged or uses a method "
                                             "it cannot read", problem=type(exc).__name__)) from exc


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
                yield Source(argument, error=Message("no file matches this pattern"))
            for match in files:
                yield from _file_or_archive(match, suffixes)
        elif argument.strip() and path.is_dir():
            found = False
            for source in _walk(path, suffixes):
                found = True
                yield source
            if not found:
                yield Source(argument, error=Message("no report files ({suffixes}) in this directory", suffixes=", ".join(sorted(suffixes))))
        else:
            yield from _file_or_archive(argument, suffixes)


def _walk(top: Path, suffixes: set[str]) -> Iterator[Source]:
    """The report files, archives and unreadable entries of a directory tree, sorted (hidden
    entries skipped). A subdirectory that cannot be read, or a link that leads nowhere (broken,
    or a loop), is a source with its error: nothing is skipped without a word."""
    failures: list[OSError] = []
    entries: list[tuple[str, Source | None]] = []
    seen: set[str] = set()
    for folder, dirs, files in os.walk(top, onerror=failures.append, followlinks=True):
        here = os.path.realpath(folder)
        seen.add(here)
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            real = os.path.realpath(os.path.join(folder, name))
            if real == here or here.startswith(real + os.sep):
                looped = str(Path(folder) / name)
                entries.append((looped, Source(looped, error=Message("a link loop (this directory leads back to itself): not followed"))))
            elif real not in seen:  # a second link to a directory already read is read once
                kept.append(name)
        dirs[:] = kept
        for name in files:
            if name.startswith("."):
                continue
            file = Path(folder) / name
            if not file.exists():
                if file.suffix.lower() in suffixes or file.suffix.lower() == ".zip":
                    entries.append((str(file), Source(str(file), error=Message("broken symbolic link, or a link loop"))))
            elif file.suffix.lower() in suffixes or file.suffix.lower() == ".zip":
                entries.append((str(file), None))
    for failure in failures:
        where = failure.filename or str(top)
        entries.append((str(where), Source(str(where), error=Message("cannot read this directory: {problem}", problem=str(failure.strerror or failure)))))
    for name, error in sorted(entries, key=lambda e: e[0]):
        if error is not None:
            yield error
        elif name.lower().endswith(".zip"):
            yield from _archive(name, suffixes)
        else:
            yield Source(name, name)


def _file_or_archive(argument: str, suffixes: set[str]) -> Iterator[Source]:
    if argument.lower().endswith(".zip") and Path(argument).is_file():
        yield from _archive(argument, suffixes)
    else:
        yield Source(argument, argument)


def _archive(path: str, suffixes: set[str]) -> Iterator[Source]:
    """The report members of a zip archive, sorted by name. A member whose name climbs out of
    the archive ("../x.txt", "/etc/x.txt") is an error source; two members of one name are both
    audited, the second named "name#2"."""
    try:
        with zipfile.ZipFile(path) as zipped:
            infos = list(enumerate(zipped.infolist()))
    except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
        yield Source(path, error=Message("not a readable zip archive ({problem})", problem=type(exc).__name__))
        return
    members = sorted(((i.filename, index) for index, i in infos if is_report_member(i, suffixes)), key=lambda m: (m[0], m[1]))
    if not members:
        yield Source(path, error=Message("no report files ({suffixes}) in this archive", suffixes=", ".join(sorted(suffixes))))
    seen: dict[str, int] = {}
    for name, index in members:
        seen[name] = seen.get(name, 0) + 1
        shown = f"{path}{ARCHIVE_SEPARATOR}{name}" + (f"#{seen[name]}" if seen[name] > 1 else "")
        if climbs_out(name):
            yield Source(shown, error=Message("the member's name points outside the archive; not read"))
        else:
            yield Source(shown, path, index)


def is_report_member(info: zipfile.ZipInfo, suffixes: set[str]) -> bool:
    """True for an archive member worth auditing: a file with a suffix a reader handles, not
    hidden and not macOS's resource-fork folder."""
    parts = Path(info.filename).parts
    return (not info.is_dir() and Path(info.filename).suffix.lower() in suffixes
            and not any(p.startswith((".", "__MACOSX")) for p in parts if p != ".."))


def climbs_out(name: str) -> bool:
    """True when an archive member's name would climb out of the folder it is unpacked to
    ("../x.txt", "/etc/x.txt", "a\\..\\..\\x.txt"): such a member is never read."""
    return name.startswith(("/", "\\")) or ".." in Path(name.replace("\\", "/")).parts


def output_conflict(output: str, arguments: Sequence[str]) -> str | None:
    """Why ``output`` may not be written for a run over ``arguments``: it is one of the inputs
    (writing would destroy it) or lies inside an input directory (the next run would audit
    it); None when it may. Checked before anything is written."""
    target = Path(output).resolve()
    for argument in arguments:
        base = argument.split(ARCHIVE_SEPARATOR, 1)[0] if ARCHIVE_SEPARATOR in argument and not Path(argument).exists() else argument
        candidates = [base]
        if _GLOB_CHARS & set(base) and not Path(base).exists():
            candidates = glob.glob(base, recursive=True)
        for candidate in candidates:
            path = Path(candidate).resolve()
            if path == target:
                return f"{output} is one of the inputs; writing it would destroy it"
            if path.is_dir() and target.is_relative_to(path):
                return f"{output} is inside the input directory {candidate}; the next run would audit it"
    return None
