"""README, docs, CI and Binder files agree with each other and with the package."""

import ast
import os
import re
import subprocess
import sys
import tomllib

import pytest

from rockpool_nb.cli import find_repo_root

ROOT = find_repo_root()
README = (ROOT / "README.md").read_text()


def _code_blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def test_readme_gives_exactly_two_setup_commands():
    first_bash = _code_blocks(README, "bash")[0]
    commands = [line.strip() for line in first_bash.splitlines() if line.strip()]
    assert commands == ["./run.sh lab", "./run.sh test"]


def test_ci_runs_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^step tests \./run\.sh test$", ci, flags=re.M)
    assert re.search(r"^step notebooks \./run\.sh lab$", ci, flags=re.M)


@pytest.mark.parametrize(
    "script",
    [
        "run.sh",
        ".ci/run",
        "scripts/setup.sh",
        "scripts/lab.sh",
        "scripts/test.sh",
        "scripts/check-binder.sh",
        "binder/postBuild",
        "binder/start",
    ],
)
def test_scripts_are_executable_bash(script):
    path = ROOT / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    assert path.read_text().startswith("#!/usr/bin/env bash\n")
    subprocess.run(["bash", "-n", str(path)], check=True)


def test_run_sh_without_a_command_prints_usage():
    res = subprocess.run([str(ROOT / "run.sh")], capture_output=True, text=True)
    assert res.returncode == 2
    assert "./run.sh lab" in res.stdout and "./run.sh test" in res.stdout


def test_readme_example_runs(capsys):
    (example,) = [b for b in _code_blocks(README, "python") if "Sequential(" in b]
    namespace = {}
    exec(compile(example, "README.md", "exec"), namespace)
    assert namespace["out"].shape == (1, 100, 1)
    assert namespace["rec"]["1_LIF"]["vmem"].shape == (1, 100, 64)
    assert "ModSequential" in capsys.readouterr().out


def _requirement_names(reqs) -> set[str]:
    names = set()
    for req in reqs:
        req = req.split("#")[0].strip()
        if req:
            name = re.match(r"[A-Za-z0-9_.\-]+", req).group(0)
            names.add(re.sub(r"[-_.]+", "-", name).lower())
    return names


def _all_extra_requirements() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    reqs, todo, seen = list(project["dependencies"]), ["all"], set()
    while todo:
        extra = todo.pop()
        seen.add(extra)
        for req in extras[extra]:
            nested = re.fullmatch(r"rockpool_nb\[(.*)\]", req)
            if nested:
                todo += [e.strip() for e in nested.group(1).split(",") if e.strip() not in seen]
            else:
                reqs.append(req)
    return _requirement_names(reqs)


def test_binder_requirements_cover_the_all_extra():
    listed = _requirement_names((ROOT / "binder" / "requirements.txt").read_text().splitlines())
    missing = _all_extra_requirements() - listed
    assert not missing, f"binder/requirements.txt lacks {sorted(missing)} (from rockpool_nb[all])"


def test_binder_files():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert (ROOT / "binder" / "start").read_text().rstrip().splitlines()[-1] == 'exec "$@"'
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "set -euo pipefail" in post and 'pip install --no-cache-dir ".[all]"' in post
    assert not (ROOT / ".binder").exists()


def test_changelog_has_an_unreleased_added_section():
    text = (ROOT / "CHANGELOG.md").read_text()
    unreleased = text.split("## [Unreleased]", 1)[1].split("\n## ", 1)[0]
    assert "### Added" in unreleased
    assert re.search(r"^- \S", unreleased, flags=re.M)


def _documented_packages() -> list[str]:
    tree = ast.parse((ROOT / "docs" / "conf.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "API_PACKAGES":
            return [name for name, _blurb in ast.literal_eval(node.value)]
    raise AssertionError("docs/conf.py defines no API_PACKAGES")


def test_every_public_subpackage_is_in_the_api_reference():
    not_documented = {"rockpool_nb.nn", "rockpool_nb.kernels"}  # nn: via its two subpackages
    documented = set(_documented_packages())
    public = {
        f"rockpool_nb.{p.parent.name}"
        for p in (ROOT / "rockpool_nb").glob("*/__init__.py")
        if not p.parent.name.startswith("_")
    }
    missing = public - documented - not_documented
    assert not missing, f"add {sorted(missing)} to API_PACKAGES in docs/conf.py"


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    """The Sphinx build passes with warnings as errors (docstrings are rendered by napoleon:
    free text after a ``Parameters`` section must go under its own heading, e.g. ``Notes``)."""
    pytest.importorskip("sphinx", reason="needs the docs extra")
    pytest.importorskip("myst_nb", reason="needs the docs extra")
    res = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(ROOT / "docs"), str(tmp_path / "html")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert res.returncode == 0, f"sphinx-build -W failed:\n{res.stderr[-4000:]}"
