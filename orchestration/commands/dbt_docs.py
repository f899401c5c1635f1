"""The dbt docs site, offline: one self-contained HTML file (`dbt docs generate --static`) in warehouse/docs/.

dbt's catalog (every column's type) is read from a private copy of the published warehouse, so generating the
docs never touches the live file nor holds a lock on the copy analysts read (on the lake, from the lake itself).
dbt runs as dagster-dbt's CLI resource in a folder kept per warehouse (<warehouse dir>/dbt/docs), so its partial
parse is reused.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from pathlib import Path

from orchestration import settings
from orchestration.lib import lake
from orchestration.lib.warehouse import published_path, reading

PROFILE = """liquidity_mart:
  target: local
  outputs:
    local:
      type: duckdb
      path: "{path}"
      threads: 1
"""


# dbt's page references three things before its Angular app has filled them in, and a browser loads each
# literally: every tree icon (`<use xlink:href="{{ getIcon(...) }}">`, 360 console errors on a file:// page),
# the logo and a favicon left as a webpack placeholder. Angular's own attributes for this (`ng-attr-`, `ng-src`)
# set them once they are interpolated; the favicon becomes an empty data URL. Only the generated page is edited.
PAGE_FIXES = {
    '<use xlink:href="{{': '<use ng-attr-xlink:href="{{',
    # Only a bare `src` (a space before it): dbt already writes `ng-src` in some versions, and rewriting the
    # `src` inside that attribute made `ng-ng-src` (a logo that never loads).
    ' src="{{ logo }}"': ' ng-src="{{ logo }}"',
    "href=\"${require('./assets/favicons/favicon.ico')}\"": 'href="data:,"',
}


def fix_page(html: str) -> str:
    for broken, fixed in PAGE_FIXES.items():
        html = html.replace(broken, fixed)
    return html


def docs_path(warehouse: Path | str | None = None) -> Path:
    """The docs site lives beside the warehouse it describes: <warehouse dir>/docs/index.html."""
    return Path(warehouse or settings.warehouse_path()).resolve().parent / "docs" / "index.html"


def model_url(model: str, warehouse: Path | str | None = None) -> str:
    """A link to one model's page in the docs site."""
    return f"{docs_path(warehouse).as_uri()}#!/model/model.liquidity_mart.{model}"


def generate_docs(warehouse: Path | str | None = None) -> Path:
    from orchestration.lib.dbt_runner import dbt_resource

    live = Path(warehouse or settings.warehouse_path())
    target = docs_path(live)
    # A folder of its own per warehouse, kept between runs: the same profile each time, so dbt's partial parse
    # in its target folder is reused and only the catalog is read afresh.
    work = live.resolve().parent / "dbt" / "docs"
    work.mkdir(parents=True, exist_ok=True)
    copy = work / live.name
    if lake.configured() is not None:
        # The lake is read where it is (its catalog queries never block a writer): the project's own `lake` target.
        dbt = dbt_resource()
    else:
        with reading(live):  # waits while a fresh copy is being swapped in
            shutil.copyfile(published_path(live), copy)
        profile = PROFILE.format(path=copy)
        if not (work / "profiles.yml").is_file() or (work / "profiles.yml").read_text() != profile:
            (work / "profiles.yml").write_text(profile)
        dbt = dbt_resource(profiles_dir=work)
    args = ["docs", "generate", "--static", "--log-path", str(work / "logs"), "--no-use-colors"]
    # dagster-dbt re-emits dbt's lines on stdout: they go to dbt's own log folder, not the terminal.
    (work / "logs").mkdir(exist_ok=True)
    with (work / "logs").joinpath("docs-generate.out").open("w") as sink, contextlib.redirect_stdout(sink):
        invocation = dbt.cli(args, target_path=work / "target", raise_on_error=False).wait()
    site = work / "target" / "static_index.html"
    try:
        if not invocation.is_successful() or not site.is_file():
            log = (work / "logs" / "dbt.log").read_text()[-3000:] if (work / "logs" / "dbt.log").exists() else ""
            raise RuntimeError(f"dbt docs generate failed: {invocation.get_error() or 'no static_index.html'}\n{log}")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_text(fix_page(site.read_text(encoding="utf-8")), encoding="utf-8")
        os.replace(tmp, target)
    finally:
        copy.unlink(missing_ok=True)
    return target
