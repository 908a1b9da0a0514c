"""What an upload may be, and reading it: the request body counted as it streams (a body past the
limit is refused without being held), multipart parts kept in memory or in temporary files that
are removed when the request ends, and zip archives unpacked in memory — a member's name is only
ever a label (never a path), a member whose name climbs out (``../``) is refused, and an archive
whose members declare or unpack to more than the limits allow is refused as a zip bomb.

Nothing here raises for bad input except ``BodyTooLarge`` (the caller answers it) and
``UploadError`` (a malformed request); everything else becomes a ``Refusal`` naming the file.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from auditor.inputs import MAX_BYTES, climbs_out, is_report_member
from auditor.serve.texts import N_, Text

MB = 1024 * 1024
PASTED_NAME = "pasted.txt"


@dataclass(frozen=True)
class Limits:
    """Bounds on one upload (bytes unless said): the whole request body (``total``, 50 MB by
    default), the files it may carry, an archive's members (``members``), what an archive's report
    members unpack to together (``unpacked``) and one member (``member``: what a reader accepts)."""

    total: int = 50 * MB
    files: int = 200
    members: int = 500
    unpacked: int = 200 * MB
    member: int = MAX_BYTES


@dataclass(frozen=True)
class Upload:
    """One input to audit: its name as shown (``archive.zip!member`` for an archive's member) and
    its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Refusal:
    """An uploaded file (or archive member) that is not audited: its name and why, as a page
    ``Text``."""

    name: str
    reason: Text


@dataclass
class Received:
    """What an upload carried: the inputs to audit and the files refused, in upload order."""

    uploads: list[Upload] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)


class BodyTooLarge(Exception):
    """The request body is larger than ``Limits.total``; ``size`` is what was seen (bytes; the
    declared Content-Length when the body was refused before it was read)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class UploadError(Exception):
    """A request that is not a readable form upload; ``reason`` is a page ``Text``."""

    def __init__(self, reason: Text) -> None:
        super().__init__(reason.msgid)
        self.reason = reason


class Body:
    """The request body as it streams (an ASGI ``receive``), refused past ``limit`` bytes."""

    def __init__(self, receive: Callable[[], Awaitable[dict]], limit: int) -> None:
        self.receive = receive
        self.limit = limit
        self.seen = 0
        self.more = True

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body's chunks; raises ``BodyTooLarge`` as soon as the count passes the limit."""
        while self.more:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                raise UploadError(Text(N_("The upload was interrupted.")))
            chunk = message.get("body", b"")
            self.more = bool(message.get("more_body", False))
            self.seen += len(chunk)
            if self.seen > self.limit:
                raise BodyTooLarge(self.seen)
            if chunk:
                yield chunk

    async def drain(self, cap: int) -> None:
        """Read and drop the rest of a refused body, up to ``cap`` bytes in all, so that the
        browser, still sending, receives the answer (past ``cap`` the connection is left to close)."""
        while self.more and self.seen <= cap:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                return
            self.seen += len(message.get("body", b""))
            self.more = bool(message.get("more_body", False))


async def receive(request, limits: Limits, suffixes: set[str]) -> Received:
    """Read the multipart form of ``request`` (fields ``files``, any number, and ``text``, pasted
    text) into inputs, unpacking zip archives. Raises ``BodyTooLarge`` (a declared or counted body
    past ``limits.total``; the caller drains or closes) and ``UploadError``."""
    from starlette.formparsers import FormParser, MultiPartException, MultiPartParser

    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.total:
        raise BodyTooLarge(int(declared))
    kind = request.headers.get("content-type", "")
    if not kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        raise UploadError(Text(N_("The upload is not a form with files.")))
    body = Body(request.receive, limits.total)
    request.state.body = body
    if kind.startswith("multipart/form-data"):
        parser = MultiPartParser(request.headers, body.chunks(), max_files=limits.files, max_fields=20,
                                 max_part_size=limits.total)
    else:  # pasted text alone
        parser = FormParser(request.headers, body.chunks(), max_fields=20, max_part_size=limits.total)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise UploadError(Text(N_("The upload could not be read: %(reason)s"), {"reason": exc.message})) from None
    received = Received()
    try:
        for item in form.getlist("files"):
            if isinstance(item, str):
                continue
            name = _display_name(item.filename)
            data = await item.read()
            if not name and not data:
                continue  # the form's empty file field
            if name.lower().endswith(".zip"):
                unpack(name, data, limits, suffixes, received)
            else:
                received.uploads.append(Upload(name, data))
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            received.uploads.append(Upload(PASTED_NAME, text.encode("utf-8")))
    finally:
        await form.close()  # temporary files are removed
    return received


def _display_name(filename: str | None) -> str:
    """The file's own name (a browser may send a path), with control characters dropped; only a
    label, never used as a path."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:200]


def unpack(name: str, data: bytes, limits: Limits, suffixes: set[str], into: Received) -> None:
    """Add the report members of the zip archive ``data`` (named ``name``) to ``into``, in name
    order, or refusals: the whole archive when it is damaged, has more than ``limits.members``
    members, or its report members declare or unpack to more than ``limits.unpacked``; a member
    that climbs out, is an archive itself, or is larger than ``limits.member``. Never raises."""
    try:
        zipped = zipfile.ZipFile(io.BytesIO(data))
        infos = zipped.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        into.refusals.append(Refusal(name, Text(N_("Not a readable zip archive."))))
        return
    if len(infos) > limits.members:
        into.refusals.append(Refusal(name, Text(N_("The archive has %(n)s members, more than the %(limit)s allowed."),
                                                {"n": len(infos), "limit": limits.members})))
        return
    members = sorted((i for i in infos if is_report_member(i, suffixes) or _is_archive(i)), key=lambda i: i.filename)
    declared = sum(i.file_size for i in members)
    if declared > limits.unpacked:
        into.refusals.append(Refusal(name, _bomb(limits)))
        return
    found: list[Upload] = []
    refused: list[Refusal] = []
    unpacked = 0
    for info in members:
        shown = f"{name}!{info.filename}"
        if climbs_out(info.filename):
            refused.append(Refusal(shown, Text(N_("The member's name points outside the archive (%(member)s); it is not read."),
                                               {"member": info.filename})))
        elif _is_archive(info):
            refused.append(Refusal(shown, Text(N_("An archive inside the archive is not opened."))))
        elif info.file_size > limits.member:
            refused.append(Refusal(shown, Text(N_("The member is %(size)s MB, more than the %(limit)s MB a report can be."),
                                               {"size": info.file_size // MB, "limit": limits.member // MB})))
        else:
            content = _read_member(zipped, info, min(limits.member, limits.unpacked - unpacked))
            if content is None:
                into.refusals.append(Refusal(name, _bomb(limits)))
                return
            if isinstance(content, Text):
                refused.append(Refusal(shown, content))
                continue
            unpacked += len(content)
            found.append(Upload(shown, content))
    if not found and not refused:
        refused.append(Refusal(name, Text(N_("The archive holds no report files (%(suffixes)s)."),
                                          {"suffixes": " ".join(sorted(suffixes))})))
    into.uploads.extend(found)
    into.refusals.extend(refused)


def _is_archive(info: zipfile.ZipInfo) -> bool:
    return not info.is_dir() and info.filename.lower().endswith(".zip")


def _bomb(limits: Limits) -> Text:
    return Text(N_("The archive unpacks to more than %(limit)s MB: refused as a zip bomb."), {"limit": limits.unpacked // MB})


def _read_member(zipped: zipfile.ZipFile, info: zipfile.ZipInfo, allowed: int) -> bytes | Text | None:
    """The member's bytes, read in pieces; None when it unpacks to more than it declared or than
    ``allowed`` (a zip bomb); a ``Text`` when it cannot be read (damaged, encrypted, unknown method)."""
    out = io.BytesIO()
    try:
        with zipped.open(info) as member:
            while piece := member.read(1 << 20):
                out.write(piece)
                if out.tell() > info.file_size or out.tell() > allowed:
                    return None
    except RuntimeError:
        return Text(N_("The member is encrypted."))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        return Text(N_("The member is damaged or uses a compression method that cannot be read."))
    return out.getvalue()
