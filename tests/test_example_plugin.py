"""The example third-party plugin (plugins/auditor-indicators) installs with pip from its folder,
is discovered through its entry point, shows in `auditor plugins` and `auditor rules`, fires on a
corpus report, takes its options from configuration and is switched off by it; its own tests pass
with the test kit's fixtures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "plugins" / "auditor-indicators"
HUAIAN = ROOT / "corpora" / "pdf" / "2024-huaian-city.pdf"  # 64 of 314 concluded 行政复议 cases corrected


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A directory the plugin is pip-installed into (its wheel built from the folder)."""
    target, source = tmp_path_factory.mktemp("site"), tmp_path_factory.mktemp("src") / "auditor-indicators"
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(source)], check=True, capture_output=True)  # pip builds in the tree
    return target


def auditor(site: Path, *args, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, "-m", "auditor", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def findings(result: subprocess.CompletedProcess) -> list[tuple[str, str]]:
    [line] = result.stdout.splitlines()
    return [(f["rule"], f["message"]) for f in json.loads(line)["findings"] if f["rule"].startswith("IND")]


def test_installed_plugin_is_discovered_and_listed(site):
    listed = auditor(site, "plugins").stdout.splitlines()
    assert "indicators  (auditor-indicators 0.1.0)  hooks: auditor_register_rules  rules: IND001" in listed
    shown = auditor(site, "rules", "IND001").stdout
    assert shown.startswith("IND001 review-correction-rate (info)") and "`threshold` (default `0.2`)" in shown


def test_installed_plugin_fires_and_is_configured(site, tmp_path):
    run = ("check", "--format", "jsonl", "--quiet", "--no-cache", "--jobs", "1")
    [(rule, message)] = findings(auditor(site, *run, HUAIAN))
    assert rule == "IND001" and message.startswith("行政复议纠错率 20.4% (结果纠正 64 of 314 concluded cases)")
    config = tmp_path / "auditor.toml"
    config.write_text("[options.IND001]\nthreshold = 0.25\n", "utf-8")
    assert findings(auditor(site, *run, "--config", config, HUAIAN)) == []
    config.write_text('disable-plugins = ["indicators"]\n', "utf-8")
    assert findings(auditor(site, *run, "--config", config, HUAIAN)) == []
    assert "IND001" not in auditor(site, "rules", "--config", config).stdout
    config.write_text('ignore = ["IND"]\n', "utf-8")
    assert findings(auditor(site, *run, "--config", config, HUAIAN)) == []


def test_the_plugins_own_tests_pass_with_the_test_kit(site):
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", str(PLUGIN / "tests")],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "5 passed" in result.stdout
