from __future__ import annotations

from pathlib import Path

import pytest

from auditor.plugins import PluginHost
from auditor.read.decode import decode_text
from auditor.read.document import build_report
from auditor.read.text import text_blocks

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
LUOHE = CORPORA / "text" / "2023-luohe-shifanqu-dangzhengban.txt"


def read_text(text: str, path: str = "<test>"):
    """A report model from text, through the text reader."""
    return build_report(path, text_blocks(text))


def read_file(path: Path):
    return build_report(str(path), text_blocks(decode_text(path.read_bytes(), str(path))))


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Each test gets its own result cache, never the user's; messages in English whatever the
    machine's locale (a test that wants Chinese asks for it: --lang zh, or sets LANGUAGE)."""
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture(scope="session")
def host() -> PluginHost:
    return PluginHost()


@pytest.fixture(scope="session")
def luohe():
    return read_file(LUOHE)
