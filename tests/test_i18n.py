"""Messages in Chinese and English: the Message type, the catalogs' completeness (every msgid
the sources hold, every built-in rule's title, description and rationale), the compiled
catalog against its source, and the command line in both languages (issue 10, item 1)."""

from __future__ import annotations

import gettext
import json
import pickle
import string
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.i18n import LOCALEDIR, Message, join, language, localize, register_catalog, translations

babel = pytest.importorskip("babel")  # the test extras have it; the runtime reads .mo with gettext
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.frontend import parse_mapping_cfg  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

from conftest import LUOHE, ROOT  # noqa: E402

PO = LOCALEDIR / "zh_CN" / "LC_MESSAGES" / "auditor.po"
MO = PO.with_suffix(".mo")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _source_msgids() -> dict[str, str]:
    """Every msgid the sources hold, as `pybabel extract -F babel.cfg -k Message` finds them."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"_": None, "Message": None, "N_": None}
    found = {}
    for filename, lineno, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords):
        if message and isinstance(message, str):
            found.setdefault(message, f"{filename}:{lineno}")
    return found


def test_every_msgid_of_the_sources_has_its_chinese_translation():
    catalog = read_po(PO.open("rb"))
    msgids = _source_msgids()
    assert len(msgids) > 150
    missing = [f"{where}: {msgid!r}" for msgid, where in msgids.items()
               if msgid not in catalog or not catalog[msgid].string or catalog[msgid].fuzzy]
    assert not missing, "untranslated (run pybabel extract/update, then translate):\n" + "\n".join(missing)
    for msgid in msgids:
        assert _fields(catalog[msgid].string) == _fields(msgid), f"placeholders differ: {msgid!r}"


def test_every_built_in_rule_has_a_chinese_title_description_and_rationale(host):
    zh = translations("zh")
    built_in = [r for r in host.rules().values() if r.function.__module__.startswith("auditor_builtin")]
    assert len(built_in) >= 30
    for rule in built_in:
        for text in (rule.name, rule.description, rule.rationale, rule.source):
            if text and any("a" <= c.lower() <= "z" for c in text):  # all-Chinese text needs none
                assert zh.gettext(text) != text, f"{rule.id}: no translation of {text[:60]!r}"
    assert len({zh.gettext(r.name) for r in built_in}) == len(built_in)  # titles tell rules apart


def test_the_compiled_catalog_is_the_source_catalog():
    """auditor.mo is `pybabel compile` of auditor.po as committed (recompile after editing the .po)."""
    catalog = read_po(PO.open("rb"))
    compiled = gettext.GNUTranslations(MO.open("rb"))._catalog  # type: ignore[attr-defined]
    expected = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    assert {k: v for k, v in compiled.items() if k} == expected


def test_a_message_is_its_english_text_and_renders_in_chinese():
    message = Message("narrative states {label} {value} (“{text}”) but the table gives {total} ({places})",
                      label="行政复议 / 总计", value=1, text="行政复议 1 项", total=0,
                      places=Message("line {line}:{column}", line=80, column=9))
    assert message == "narrative states 行政复议 / 总计 1 (“行政复议 1 项”) but the table gives 0 (line 80:9)"
    chinese = message.translate("zh")
    assert "行政复议 1 项" in chinese and "第80行" in chinese and "narrative" not in chinese
    assert pickle.loads(pickle.dumps(message)).translate("zh") == chinese  # workers hand findings back
    assert Message.from_json(json.loads(json.dumps(message.to_json()))).translate("zh") == chinese
    listed = join([Message("blank"), "“—”"])
    assert listed == "blank, “—”" and listed.translate("zh") == "空白、“—”"
    assert (Message("blank") + "; " + Message("blank")).translate("zh") == "空白; 空白"  # literal text stays


def test_a_plugin_ships_its_own_catalog(tmp_path):
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="zh_CN", domain="myplugin")
    catalog.add("{count} widgets missing", "缺少{count}个部件")
    target = tmp_path / "zh_CN" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "myplugin.mo", "wb") as out:
        write_mo(out, catalog)
    register_catalog("myplugin", tmp_path)
    message = Message("{count} widgets missing", domain="myplugin", count=3)
    assert message == "3 widgets missing" and message.translate("zh") == "缺少3个部件"


def test_the_language_follows_the_locale_and_the_option():
    assert language(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert language(None, {"LANGUAGE": "en_US:zh_CN", "LANG": "zh_CN.UTF-8"}) == "en"
    assert language(None, {"LC_ALL": "C"}) == "en"
    assert language(None, {}) == "en"
    assert language("zh-CN", {"LANG": "en_US.UTF-8"}) == "zh"
    with pytest.raises(ValueError, match="fr"):
        language("fr")


def test_check_prints_chinese_under_a_chinese_locale_and_english_with_lang_en(capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh_CN.UTF-8")
    assert main(["check", "--no-cache", "-q", str(LUOHE)]) == 1
    chinese = capsys.readouterr().out
    n001 = next(line for line in chinese.splitlines() if " N001 " in line)
    assert ":13:48: error N001 " in n001 and "行政复议 1 项" in n001 and "第80行" in n001
    assert "narrative states" not in chinese
    assert main(["check", "--no-cache", "-q", "--lang", "en", str(LUOHE)]) == 1
    english = capsys.readouterr().out
    assert "narrative states 行政复议 / 总计 1 (“行政复议 1 项”) but the table gives 0 (line 80:9)" in english


def test_json_keeps_rule_ids_and_gives_the_message_in_the_chosen_language(capsys):
    assert main(["check", "--no-cache", "-q", "--lang", "zh", "--format", "json", str(LUOHE)]) == 1
    report = json.loads(capsys.readouterr().out)["reports"][0]
    n001 = next(f for f in report["findings"] if f["rule"] == "N001")
    assert "第80行" in n001["message"] and "msg" not in n001


def test_a_refused_input_and_the_summary_in_chinese(tmp_path, capsys):
    note = tmp_path / "note.txt"
    note.write_text("会议纪要\n今天开会。\n", encoding="utf-8")
    assert main(["check", "--no-cache", "--lang", "zh", str(note), str(LUOHE)]) == 2
    err = capsys.readouterr().err
    assert "政府信息公开工作年度报告" in err and "does not look like" not in err
    summary = err.strip().splitlines()[-1]
    assert "does not" not in summary and "report(s)" not in summary


def test_the_rule_catalogue_in_chinese(capsys):
    assert main(["rules", "--lang", "zh", "N001"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("N001 ") and "narrative-table-mismatch" not in text.splitlines()[0]
    assert main(["rules", "--lang", "zh", "--format", "json", "A001"]) == 0
    entry = json.loads(capsys.readouterr().out)[0]
    assert entry["name"] == "requests-balance" or entry["name"]  # the slug stays
    assert entry["title"] != entry["name"] and any("\u4e00" <= c <= "\u9fff" for c in entry["description"])


def test_localize_leaves_english_records_as_they_are_and_never_changes_its_input():
    record = {"path": "x", "readable": True, "errors": [], "findings": [
        {"rule": "X001", "severity": "error", "message": "plain", "evidence": []}]}
    assert localize(record, "zh") is record
    made = {"path": "x", "readable": False, "errors": ["empty file"], "errors_msg": [Message("empty file").to_json()]}
    shown = localize(made, "zh")
    assert "errors_msg" not in shown and shown["errors"] != ["empty file"] and made["errors"] == ["empty file"]


def test_help_is_in_chinese_with_lang_zh(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--lang", "zh", "--help"])
    out = capsys.readouterr().out
    assert "用法" in out and "show this help" not in out


def test_the_html_report_speaks_the_chosen_language(tmp_path, capsys):
    page = tmp_path / "report.html"
    assert main(["check", "--no-cache", "-q", "--lang", "zh", "--format", "html", "-o", str(page), str(LUOHE)]) == 1
    chinese = page.read_text(encoding="utf-8")
    assert "<html lang='zh-CN'>" in chinese and "<h2>按规则</h2>" in chinese and "<b>错误 N001</b>" in chinese
    assert "By rule" not in chinese and "第80行" in chinese
    assert main(["check", "--no-cache", "-q", "--lang", "en", "--format", "html", "-o", str(page), str(LUOHE)]) == 1
    english = page.read_text(encoding="utf-8")
    assert "<h2>By rule</h2>" in english and "<b>error N001</b>" in english
