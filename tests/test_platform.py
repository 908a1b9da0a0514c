"""The plugin platform: rules are the unit (each guarded, named when it fails), hook names are
checked, rule declarations validated, and configuration decides what runs before anything runs."""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest

from auditor.cli import main
from auditor.config import ConfigError, Configuration, Layer
from auditor.rules import Example, ExampleReport, Rule, RuleDefinitionError, rule
from conftest import LUOHE

MIXED = textwrap.dedent('''
    import time
    from auditor import Finding, Hit, RuleSet, hookimpl

    rules = RuleSet()

    @rules.rule("X101", "good", "info", "Marks every report.")
    def good(document):
        yield Hit(f"seen {document.report.year}", None)

    @rules.rule("X102", "raises", "error", "Raises.")
    def raises(document):
        raise KeyError("no such cell")

    @rules.rule("X103", "sleeps", "error", "Sleeps past the timeout.")
    def sleeps(document):
        time.sleep(30)
        return []

    @rules.rule("X104", "undeclared", "error", "Reports under an ID it did not declare.")
    def undeclared(document):
        yield Finding("X199", "error", "not mine", None)
        yield Hit("mine", None)

    @rules.rule("X105", "optioned", "warning", "Has an option.")
    def optioned(document, *, threshold=0.5):
        if threshold < 0.5:
            yield Hit(f"threshold {threshold}", None)

    @hookimpl
    def auditor_register_rules(register):
        register(*rules)
''')


def jsonl(capsys, *args):
    status = main(["check", "--format", "jsonl", "--quiet", "--no-cache", *map(str, args)])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


@pytest.fixture
def mixed(tmp_path):
    path = tmp_path / "mixed.py"
    path.write_text(MIXED, "utf-8")
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_failing_rules_are_named_and_every_other_rule_reports(capsys, tmp_path, mixed, jobs):
    report = tmp_path / "report.txt"
    shutil.copy(LUOHE, report)
    status, [line], _ = jsonl(capsys, "--plugin", mixed, "--timeout", "2", "--jobs", jobs, report)
    assert status == 2
    assert line["path"] == str(report)  # the report is named with its errors
    assert sorted(line["errors"]) == [
        "rule X102 (plugin 'auditor_local_mixed') failed: KeyError: 'no such cell' (mixed.py:13)",
        "rule X103 (plugin 'auditor_local_mixed') was stopped: it took longer than the 2 s timeout; its findings are left out",
        "rule X104 (plugin 'auditor_local_mixed') failed: yielded a finding under rule ID 'X199', which it did not declare",
    ]
    # the built-in rules, the good rule, and the undeclaring rule's own finding are kept
    assert sorted((f["rule"], f["message"]) for f in line["findings"] if f["rule"] != "N001") == [
        ("X101", "seen 2023"), ("X104", "mine")]
    assert any(f["rule"] == "N001" for f in line["findings"])


def test_rule_options_come_from_the_configuration(capsys, tmp_path, mixed):
    report = tmp_path / "report.txt"
    shutil.copy(LUOHE, report)
    (tmp_path / "auditor.toml").write_text('select = ["X101", "X105"]\n[options.X105]\nthreshold = 0.2\n', "utf-8")
    status, [line], _ = jsonl(capsys, "--plugin", mixed, report)
    assert [(f["rule"], f["message"]) for f in line["findings"]] == [("X105", "threshold 0.2"), ("X101", "seen 2023")]
    (tmp_path / "auditor.toml").write_text('[options.X105]\nthreshhold = 0.2\n', "utf-8")
    assert main(["check", "--plugin", str(mixed), str(report)]) == 2
    assert ("rule X105 has no option 'threshhold' (did you mean 'threshold'?) (its options: threshold)"
            in capsys.readouterr().err)
    (tmp_path / "auditor.toml").write_text('[options.X105]\nthreshold = "low"\n', "utf-8")
    assert main(["check", "--plugin", str(mixed), str(report)]) == 2
    assert "option X105.threshold = 'low' is not a number (its default is 0.5)" in capsys.readouterr().err


@pytest.mark.parametrize("source, message", [
    ("from auditor import hookimpl\n\n@hookimpl\ndef auditor_register_rule(register):\n    pass\n",
     "'auditor_register_rule' matches no auditor hook; did you mean 'auditor_register_rules'?"),
    ("from auditor import hookimpl\n\n@hookimpl\ndef auditor_register_rules(register):\n    pass\n\n"
     "def auditor_chek(document):\n    return []\n",
     "'auditor_chek' matches no auditor hook"),
])
def test_a_misspelt_hook_is_refused_by_name(capsys, tmp_path, source, message):
    plugin = tmp_path / "typo.py"
    plugin.write_text(source, "utf-8")
    assert main(["rules", "--plugin", str(plugin)]) == 2
    assert message in capsys.readouterr().err


def test_rule_declarations_are_validated():
    def check(document):
        return []

    with pytest.raises(RuleDefinitionError, match="rule ID 'X1' is not 1–4 capital letters and 3 digits"):
        rule("X1", "short", "error", "An ID too short.")(check)
    with pytest.raises(RuleDefinitionError, match="severity 'fatal'"):
        rule("X001", "bad", "fatal", "A severity that is none.")(check)
    with pytest.raises(RuleDefinitionError, match="generations"):
        rule("X001", "bad", "error", "A generation that is none.", generations=["2018"])(check)
    with pytest.raises(RuleDefinitionError, match="option 'limit' needs a default"):
        rule("X001", "bad", "error", "An option without a default.")(lambda document, *, limit: [])
    declared = rule("X001", "fine", "error", "Has options.")(lambda document, *, limit=3, strict=False: [])
    assert isinstance(declared, Rule) and dict(declared.options) == {"limit": 3, "strict": False}


def test_a_plugin_registering_what_is_not_a_rule_is_named(capsys, tmp_path):
    plugin = tmp_path / "notrule.py"
    plugin.write_text("from auditor import hookimpl\n\n@hookimpl\ndef auditor_register_rules(register):\n"
                      "    register('A001')\n", "utf-8")
    assert main(["rules", "--plugin", str(plugin)]) == 2
    assert "plugin 'auditor_local_notrule' registered str 'A001', not an auditor.rules.Rule" in capsys.readouterr().err


class TestSelection:
    def config(self, **layers):
        return Configuration(file=layers.get("file", Layer()), command_line=layers.get("cli", Layer()))

    def test_the_longest_prefix_wins_and_ignore_wins_a_tie(self):
        config = self.config(file=Layer(select=("N", "A001"), ignore=("N00", "A")))
        assert [r for r in ("A001", "A002", "N001", "N005", "C001") if config.selected(r)] == ["A001"]
        config = self.config(file=Layer(select=("N0",), ignore=("N0",)))
        assert not config.selected("N001")
        config = self.config(file=Layer(ignore=("N",)), cli=Layer(select=("N001",)))
        assert config.selected("N001") and not config.selected("N002") and not config.selected("A001")

    def test_the_command_line_select_replaces_and_ignore_adds(self):
        config = self.config(file=Layer(select=("A",)), cli=Layer(ignore=("A001",)))
        assert [r for r in ("A001", "A002", "N001") if config.selected(r)] == ["A002"]
        config = self.config(file=Layer(select=("A",)), cli=Layer(select=("N",)))
        assert [r for r in ("A001", "N001") if config.selected(r)] == ["N001"]

    def test_severity_overrides_by_longest_prefix(self):
        config = self.config(file=Layer(severity=(("M", "info"), ("M005", "error"))))
        assert (config.severity("M001", "warning"), config.severity("M005", "warning"),
                config.severity("A001", "error")) == ("info", "error", "error")

    def test_per_path_layers(self, tmp_path):
        (tmp_path / "auditor.toml").write_text('ignore = ["M"]\n[per-path."archive/*"]\nignore = ["N"]\n'
                                               '[per-path."archive/*".severity]\nA = "warning"\n', "utf-8")
        config = Configuration.load(tmp_path / "auditor.toml")
        inside, outside = str(tmp_path / "archive" / "2019.txt"), str(tmp_path / "new" / "2023.txt")
        assert not config.selected("N001", inside) and config.selected("N001", outside)
        assert not config.selected("M001", inside) and not config.selected("M001", outside)
        assert config.severity("A001", "error", inside) == "warning" and config.severity("A001", "error", outside) == "error"

    def test_command_line_select_keeps_per_path_ignores_and_its_ignore_always_skips(self, tmp_path):
        (tmp_path / "auditor.toml").write_text('[per-path."archive/*"]\nignore = ["N001"]\n'
                                               '[per-path."new/*"]\nselect = ["A"]\n', "utf-8")
        config = Configuration.load(tmp_path / "auditor.toml").with_command_line(select=["N"], ignore=["A002"])
        archive, new, other = (str(tmp_path / d / "2023.txt") for d in ("archive", "new", "other"))
        assert [r for r in ("N001", "N002", "A001") if config.selected(r, archive)] == ["N002"]
        assert [r for r in ("N001", "A001", "A002") if config.selected(r, new)] == ["A001"]
        assert [r for r in ("N001", "A001", "A002") if config.selected(r, other)] == ["N001"]


def test_configuration_files_are_found_upward_pyproject_or_auditor_toml(tmp_path):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    report = deep / "r.txt"
    report.write_text("x", "utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")  # no [tool.auditor]: passed over
    assert Configuration.find([report], cwd=deep).source == ""
    (tmp_path / "pyproject.toml").write_text('[tool.auditor]\nignore = ["N"]\n', "utf-8")
    assert Configuration.find([report], cwd=deep).source == str(tmp_path / "pyproject.toml")
    (tmp_path / "a" / "auditor.toml").write_text('ignore = ["M"]\n', "utf-8")
    found = Configuration.find([report], cwd=deep)
    assert found.source == str(tmp_path / "a" / "auditor.toml") and found.file.ignore == ("M",)


@pytest.mark.parametrize("text, message", [
    ('selct = ["A"]\n', "unknown key 'selct' (did you mean 'select'?)"),
    ('ignore = ["Q9"]\n', "ignore: no rule ID starts with 'Q9'"),
    ('ignore = ["N01"]\n', "ignore: no rule ID starts with 'N01' (did you mean 'N001'?)"),
    ('[severity]\nM005 = "fatal"\n', "severity of M005: 'fatal' is not one of error, warning, info"),
    ('[options.N009]\nx = 1\n', "options for unknown rule 'N009' (did you mean 'N008'?)"),
    ('[options.N001]\nlimit = 1\n', "rule N001 has no option 'limit' (its options: none)"),
    ('disable-plugins = ["narrativ"]\n', "disable-plugins: no plugin named 'narrativ' (did you mean 'narrative'?)"),
    ('select = "A\n', "not valid TOML"),
])
def test_configuration_errors_name_the_file_and_the_closest_name(capsys, tmp_path, text, message):
    config = tmp_path / "auditor.toml"
    config.write_text(text, "utf-8")
    assert main(["check", "--config", str(config), str(LUOHE)]) == 2
    err = capsys.readouterr().err
    assert str(config) in err and message in err, err


def test_configuration_switches_rules_and_plugins_off(capsys, tmp_path):
    report = tmp_path / "r.txt"
    shutil.copy(LUOHE, report)
    status, [line], _ = jsonl(capsys, report)
    assert status == 1 and [f["rule"] for f in line["findings"]] == ["N001"]
    (tmp_path / "auditor.toml").write_text('disable-plugins = ["narrative"]\n', "utf-8")
    status, [line], _ = jsonl(capsys, report)
    assert status == 0 and line["findings"] == []
    (tmp_path / "auditor.toml").write_text('[severity]\nN001 = "warning"\n', "utf-8")
    status, [line], _ = jsonl(capsys, report)
    assert status == 0 and [(f["rule"], f["severity"]) for f in line["findings"]] == [("N001", "warning")]
    assert main(["check", "--quiet", "--select", "N001", "--config", str(tmp_path / "auditor.toml"), str(report)]) == 0
    assert main(["check", "--quiet", "--select", "N9", str(report)]) == 2
    assert "the command line: select: no rule ID starts with 'N9'" in capsys.readouterr().err


def test_bad_configuration_file_given_explicitly(capsys, tmp_path):
    assert main(["check", "--config", str(tmp_path / "missing.toml"), str(LUOHE)]) == 2
    assert "missing.toml: cannot be read" in capsys.readouterr().err
    with pytest.raises(ConfigError):
        Configuration.load(tmp_path / "missing.toml")


TEACHER = textwrap.dedent('''
    from auditor import Hit, hookimpl, rule

    @hookimpl
    def auditor_vocabulary():
        # terms are whole tokens: jieba keeps 业务培训 as one word, so it is a term of its own
        return {"quantities": [{"key": "training.sessions", "terms": ["培训", "业务培训"]}], "keep_whole": ["政务公开培训"]}

    @rule("T001", "training-stated", "info", "Reports how many training sessions the narrative states.")
    def training(document):
        for figure in document.figures:
            if figure.key == "training.sessions":
                yield Hit(f"培训 {figure.value} 次", figure.position)

    @hookimpl
    def auditor_register_rules(register):
        register(training)
''')


def test_a_plugin_teaches_the_extractor_a_quantity(capsys, tmp_path):
    from auditor.plugins import PluginHost
    from auditor.testing import make_document

    plugin = tmp_path / "teacher.py"
    plugin.write_text(TEACHER, "utf-8")
    sentence = "全年组织政务公开业务培训 3 次，参训人员 120 人次。"
    host = PluginHost([str(plugin)])
    report = make_document({}, [sentence]).report
    taught = host.document(report)
    assert [(f.key, f.value) for f in taught.figures if f.key == "training.sessions"] == [("training.sessions", 3)]
    assert all(f.key != "training.sessions" for f in PluginHost().document(report).figures)  # the built-ins alone
    findings, failures = host.check(taught, config=Configuration(command_line=Layer(select=("T",))))
    assert [f.message for f in findings] == ["培训 3 次"] and failures == []


@pytest.mark.parametrize("vocabulary, message", [
    ('{"quantitys": []}', "unknown vocabulary key 'quantitys' (did you mean 'quantities'?)"),
    ('{"terms": {"review.totl": ["复议案件"]}}', "unknown quantity 'review.totl' (did you mean 'review.total'?)"),
    ('{"quantities": [{"key": "review.total", "terms": ["复议"]}]}', "quantity 'review.total' exists"),
])
def test_a_vocabulary_that_cannot_be_added_names_the_plugin(capsys, tmp_path, vocabulary, message):
    plugin = tmp_path / "badvocab.py"
    plugin.write_text(f"from auditor import hookimpl\n\n@hookimpl\ndef auditor_vocabulary():\n    return {vocabulary}\n", "utf-8")
    assert main(["check", "--plugin", str(plugin), str(LUOHE)]) == 2
    err = capsys.readouterr().err
    assert "plugin 'auditor_local_badvocab': its vocabulary cannot be added: ValueError: " + message in err, err


def test_the_readme_plugin_works_as_printed(tmp_path):
    import re
    from pathlib import Path

    from auditor.plugins import PluginHost
    from auditor.testkit import run_examples

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    code = re.search(r"## Writing a plugin.*?```python\n(.*?)```", readme, re.S).group(1)
    plugin = tmp_path / "readme_plugin.py"
    plugin.write_text(code, "utf-8")
    host = PluginHost([str(plugin)])
    rule = host.rules()["X001"]
    assert dict(rule.options) == {"minimum": 1} and len(rule.examples) == 2
    assert run_examples(rule, host) == []


def test_an_installed_plugin_that_cannot_be_imported_is_named(capsys, tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "broken_plugin").mkdir(parents=True)
    (site / "broken_plugin" / "__init__.py").write_text("import no_such_module_anywhere\n", "utf-8")
    info = site / "broken_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 1.0\n", "utf-8")
    (info / "entry_points.txt").write_text("[auditor.plugins]\nbroken = broken_plugin\n", "utf-8")
    monkeypatch.syspath_prepend(str(site))
    assert main(["rules"]) == 2
    assert ("plugin 'broken' (broken-plugin 1.0) cannot be loaded: ModuleNotFoundError: No module named "
            "'no_such_module_anywhere'") in capsys.readouterr().err
    monkeypatch.setenv("AUDITOR_DISABLE_PLUGINS", "broken")
    assert main(["rules"]) == 0


ACROSS = textwrap.dedent('''
    import os
    from auditor import BatchHit, Evidence, Example, ExampleReport, RuleSet, hookimpl

    rules = RuleSet()

    LAST = ExampleReport(year=2022, cells={"requests.carried_forward.total": 1})
    @rules.rule("B001", "carried-over", "warning", "This year's 上年结转 is last year's 结转下年度.", scope="batch",
                examples=[Example(True, reports=(LAST, ExampleReport(year=2023, cells={"requests.carried_over.total": 0}))),
                          Example(False, reports=(LAST, ExampleReport(year=2023, cells={"requests.carried_over.total": 1}))),
                          Example(False, reports=(LAST, ExampleReport(year=2023, agency="另一个局")))])
    def carried_over(group):
        years = group.by_year()
        for year, reports in years.items():
            before = years.get(year - 1)
            if len(reports) != 1 or not before or len(before) != 1:
                continue
            now, last = reports[0], before[0]
            carried, forward = now.cells.get("requests.carried_over.total"), last.cells.get("requests.carried_forward.total")
            if carried and forward and carried.value is not None and forward.value is not None and carried.value != forward.value:
                yield BatchHit(now.path, f"上年结转 {carried.value}, but {year - 1}'s 结转下年度 {forward.value}",
                               carried.position, (Evidence.of_cell(carried), Evidence.of_cell(forward)))

    @rules.rule("B002", "counts-the-group", "info", "Says how many reports its body has in the batch.", scope="batch")
    def counts(group, *, least=2):
        if len(group.reports) >= least:
            yield BatchHit(group.reports[-1].path, f"{group.agency}: {len(group.reports)} reports", None)

    @rules.rule("B003", "breaks", "error", "Fails.", scope="batch")
    def breaks(group):
        if os.environ.get("BATCH_RULE_EXIT"):
            os._exit(3)
        raise ValueError("no such year")

    @hookimpl
    def auditor_register_rules(register):
        register(*rules)
''')


@pytest.mark.parametrize("exit_process", [False, True])
def test_batch_rules_run_over_each_body_s_reports(capsys, tmp_path, monkeypatch, exit_process):
    plugin = tmp_path / "across.py"
    plugin.write_text(ACROSS, "utf-8")
    if exit_process:
        monkeypatch.setenv("BATCH_RULE_EXIT", "1")
    flat = LUOHE.parents[1] / "flattened"
    reports = [flat / f"{year}-pingtan-page.txt" for year in (2021, 2022, 2023, 2024)] + [LUOHE]
    status, lines, _ = jsonl(capsys, "--plugin", plugin, "--select", "B", "--jobs", "1", *reports)
    assert status == 2 and [line["path"] for line in lines] == list(map(str, reports))
    found = {(line["path"].rsplit("/", 1)[1], f["rule"], f["message"]) for line in lines for f in line["findings"]}
    assert ("2024-pingtan-page.txt", "B002", "平潭综合实验区: 4 reports") in found
    assert not any(rule == "B002" and name.startswith("2023-luohe") for name, rule, _ in found)  # one report: quiet
    assert all("cells" not in line for line in lines)  # the facts the batch rules read are not printed
    for line in lines:
        if exit_process:
            assert line["errors"] == ["rule B003 (plugin 'auditor_local_across') ended its worker process (a crash, or "
                                      "an exit); its findings are left out"]
        else:
            assert [e.split(" (on the")[0] for e in line["errors"]] == [
                "rule B003 (plugin 'auditor_local_across') failed: ValueError: no such year (across.py:33)"]
    assert [f["rule"] for line in lines if line["path"].endswith("2024-pingtan-page.txt") for f in line["findings"]] == ["B002"]


RUN_WIDE = textwrap.dedent('''
    from auditor import NARRATIVE, BatchHit, Example, ExampleReport, RuleSet, hookimpl

    rules = RuleSet()

    @rules.rule("R001", "longest-narrative", "info", "Names the report of the batch with the longest narrative.",
                scope="run", reads=(NARRATIVE,),
                examples=[Example(True, reports=(ExampleReport(paragraphs=("一段话。",)),
                                                 ExampleReport(agency="乙局", paragraphs=("两段话。" * 3,))))])
    def longest(group):
        sizes = {r.path: sum(len(p.text) for p in r.narrative) for r in group.reports}
        if len(sizes) > 1:
            path = max(sizes, key=lambda p: (sizes[p], p))
            yield BatchHit(path, f"the longest of {len(sizes)} narratives ({group.agency!r}): {sizes[path]} characters", None)

    @hookimpl
    def auditor_register_rules(register):
        register(*rules)
''')


def test_a_rule_over_the_whole_run_sees_every_body_and_the_narratives(capsys, tmp_path):
    plugin = tmp_path / "wide.py"
    plugin.write_text(RUN_WIDE, "utf-8")
    flat = LUOHE.parents[1] / "flattened"
    reports = [flat / "2021-pingtan-page.txt", flat / "2021-pingtan-gaj-page.txt", LUOHE]
    status, lines, _ = jsonl(capsys, "--plugin", plugin, "--select", "R", "--jobs", "2", "--no-cache", *reports)
    found = [(line["path"], f["message"]) for line in lines for f in line["findings"]]
    assert status == 0 and len(found) == 1 and "the longest of 3 narratives ('')" in found[0][1]
    assert all("narrative" not in line for line in lines)  # what the rule read is not printed
    from auditor.plugins import PluginHost
    from auditor.testkit import run_examples

    host = PluginHost([str(plugin)])
    assert run_examples(host.rules()["R001"], host) == []


def test_batch_findings_are_baselined_like_the_others(capsys, tmp_path):
    plugin = tmp_path / "across.py"
    plugin.write_text(ACROSS.replace('raise ValueError("no such year")', "return []"), "utf-8")
    flat = LUOHE.parents[1] / "flattened"
    reports = [str(flat / f"{year}-pingtan-page.txt") for year in (2023, 2024)]
    baseline = tmp_path / "b.json"
    assert main(["baseline", "--quiet", "--plugin", str(plugin), "-o", str(baseline), *reports]) == 0
    assert "B002" in {f["rule"] for f in json.loads(baseline.read_text("utf-8"))["findings"]}
    status, lines, _ = jsonl(capsys, "--plugin", plugin, "--baseline", baseline, *reports)
    assert [f for line in lines for f in line["findings"]] == []


# A newcomer's trial of the platform (a plugin author following the README): each surprise, both ways.

def plugin_file(tmp_path, name, body):
    path = tmp_path / f"{name}.py"
    path.write_text("from auditor import Evidence, Example, Hit, RuleSet, hookimpl, rule\n" + textwrap.dedent(body), "utf-8")
    return path


ONE_RULE = '''
    @rule("ZRQ001", "zero", "warning", "d")
    def zero(document, *, least=2):
        return []

    @hookimpl
    def auditor_register_rules(register):
        register(zero)
'''


@pytest.mark.parametrize("body, message", [
    ("def auditor_register_rules(register):\n    pass\n",
     "'auditor_register_rules' is not marked @hookimpl (from auditor import hookimpl), so it would never be called"),
    ('@rule("zrq001", "x", "warning", "d")\ndef f(document):\n    return []\n',
     "rule ID 'zrq001' is not 1–4 capital letters and 3 digits (e.g. X001) (plugin.py:2)"),
    ('@rule("ZRQ001", "x", "warning", "d", examples=[Example(True, options={"lest": 1})])\n'
     'def f(document, *, least=2):\n    return []\n',
     "rule ZRQ001: example 1 sets option 'lest', which the rule does not have (did you mean 'least'?)"),
    (ONE_RULE.replace("register(zero)", "register(zero, zero)"), "rule ZRQ001 is registered twice by 'auditor_local_plugin'"),
])
def test_plugin_author_mistakes_are_named_at_load(capsys, tmp_path, body, message):
    plugin = plugin_file(tmp_path, "plugin", body)
    assert main(["rules", "--plugin", str(plugin)]) == 2
    assert message in capsys.readouterr().err


def test_one_plugin_file_given_twice_is_a_clear_error(capsys, tmp_path):
    plugin = plugin_file(tmp_path, "plugin", ONE_RULE)
    assert main(["rules", "--plugin", str(plugin), "--plugin", str(plugin)]) == 2
    assert "a plugin named 'auditor_local_plugin' is already loaded (the same file given twice" in capsys.readouterr().err


def test_evidence_of_the_wrong_type_is_named_with_the_fix(tmp_path):
    from auditor.plugins import PluginHost
    from auditor.testing import make_document

    plugin = plugin_file(tmp_path, "plugin", '''
        @rule("ZRQ001", "x", "warning", "d")
        def f(document):
            yield Hit("m", None, (document.report.cells["review.total"],))

        @hookimpl
        def auditor_register_rules(register):
            register(f)
    ''')
    host = PluginHost([str(plugin)])
    _, [failure] = host.check(make_document({}), config=Configuration(command_line=Layer(select=("ZRQ",))))
    assert failure.error == "rule ZRQ001: evidence item 0 is Cell, not Evidence (use Evidence.of_cell)"


def test_an_edited_plugin_changes_the_cache_fingerprint(tmp_path):
    from auditor.plugins import PluginHost

    plugin = plugin_file(tmp_path, "plugin", ONE_RULE)
    before = {i.name: i.digest for i in PluginHost([str(plugin)]).plugins()}
    plugin.write_text(plugin.read_text("utf-8").replace('"d"', '"edited"'), "utf-8")
    after = {i.name: i.digest for i in PluginHost([str(plugin)]).plugins()}
    assert before["auditor_local_plugin"] != after["auditor_local_plugin"]
    assert before["arithmetic"] == after["arithmetic"]


@pytest.mark.parametrize("text, message", [
    ('[tool.auditor]\nignore = ["N"]\n', "an auditor.toml holds the settings at its top level"),
    ('select = ["zrq"]\n', "no rule ID starts with 'zrq' (rule IDs are upper case: 'ZRQ')"),
    ('[options.ZRQ001]\nleast = 2.5\n', "option ZRQ001.least = 2.5 is not a whole number (its default is 2)"),
    ('disable-plugins = ["auditor_local_plugin"]\nselect = ["ZRQ"]\n',
     "no rule ID starts with 'ZRQ'; plugins disabled by the configuration: auditor_local_plugin"),
])
def test_configuration_mistakes_a_newcomer_makes(capsys, tmp_path, text, message):
    plugin = plugin_file(tmp_path, "plugin", ONE_RULE)
    config = tmp_path / "auditor.toml"
    config.write_text(text, "utf-8")
    assert main(["check", "--plugin", str(plugin), "--config", str(config), str(LUOHE)]) == 2
    assert message in capsys.readouterr().err


def test_a_disabled_plugin_is_listed_as_disabled(capsys, tmp_path):
    plugin = plugin_file(tmp_path, "plugin", ONE_RULE)
    config = tmp_path / "auditor.toml"
    config.write_text('disable-plugins = ["auditor_local_plugin", "claims"]\n', "utf-8")
    assert main(["plugins", "--plugin", str(plugin), "--config", str(config)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert {"auditor_local_plugin  (disabled)", "claims  (disabled)"} <= set(out)


def test_the_test_kit_refuses_a_rule_that_is_not_loaded():
    from auditor.testkit import audit

    with pytest.raises(ValueError, match="no rule ID starts with 'ZRQ' among the loaded rules"):
        audit(cells={}, select=["ZRQ"])


def test_the_test_kit_loads_a_plugin_file_named_to_pytest(tmp_path):
    import subprocess
    import sys

    plugin_file(tmp_path, "zeroreq", '''
        @rule("ZRQ001", "no-requests", "warning", "表三 总计 0.",
              examples=[Example(True, cells={}), Example(False, cells={"requests.total.total": 1})])
        def zero(document):
            cell = document.report.cells.get("requests.total.total")
            if cell is not None and cell.value == 0:
                yield Hit("no requests", cell.position)

        @hookimpl
        def auditor_register_rules(register):
            register(zero)
    ''')
    (tmp_path / "test_zeroreq.py").write_text(textwrap.dedent('''
        def test_fires(audit, expect):
            expect(audit(cells={}, select=["ZRQ"]), [("ZRQ001", "warning")])

        def test_examples(rule_examples):
            assert rule_examples("ZRQ001") == []
    '''), "utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                             "--auditor-plugin", "zeroreq.py", str(tmp_path)], capture_output=True, text=True,
                            cwd=tmp_path, timeout=300)
    assert result.returncode == 0 and "2 passed" in result.stdout, result.stdout[-1500:]


def test_a_batch_rule_s_examples_run_as_batches(tmp_path):
    from auditor.plugins import PluginHost
    from auditor.testkit import run_examples

    plugin = tmp_path / "across.py"
    plugin.write_text(ACROSS, "utf-8")
    host = PluginHost([str(plugin)])
    assert run_examples(host.rules()["B001"], host) == []
    wrong = Example(True, reports=(ExampleReport(year=2022), ExampleReport(year=2023)))
    from dataclasses import replace

    assert run_examples(replace(host.rules()["B001"], examples=(wrong,)), host) == [
        "B001 example 1 should fire but gave nothing"]
    with pytest.raises(RuleDefinitionError, match="example 1 of a batch rule must give its batch"):
        rule("B009", "x", "info", "d", scope="batch", examples=[Example(True)])(lambda group: [])
