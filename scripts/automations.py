"""Create the Prefect automations of automations/*.yaml on the server in $PREFECT_API_URL, with the
webhook they post to: `make server` (scripts/serve) runs this, and so does the end-to-end test.

    BLUEBOOK_WEBHOOK_URL=https://hooks.slack.com/services/… .venv/bin/python scripts/automations.py

The URL in $BLUEBOOK_WEBHOOK_URL is saved as the Prefect webhook block each action names in its
`webhook_block` key (POST, JSON body), and the block's id replaces that key. An automation that
exists by name and is the same is left alone (its clock keeps running); one that differs is
replaced. Without $BLUEBOOK_WEBHOOK_URL nothing is created: it says so and exits 0. Exit 1 when a
file is not a valid automation or the server refuses one."""

from __future__ import annotations

import argparse
import os
import sys
import urllib.parse
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
URL_VARIABLE = "BLUEBOOK_WEBHOOK_URL"


class SetupError(Exception):
    """A definition or the URL is wrong; said in one line, no traceback."""


def read_definitions(paths: list[Path]) -> list[dict]:
    """The automations of the files (one mapping, a list, or a mapping with `automations:`)."""
    out: list[dict] = []
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise SetupError(f"{path}: cannot read it: {exc}") from exc
        items = data.get("automations", [data]) if isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(i, dict) and i.get("name") for i in items):
            raise SetupError(f"{path}: expected an automation (a mapping with a name) or a list of them")
        out += items
    names = [d["name"] for d in out]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SetupError(f"automation names must be unique: {', '.join(repeated)}")
    return out


def webhook_blocks(definitions: list[dict]) -> set[str]:
    return {a["webhook_block"] for d in definitions for a in d.get("actions", []) if "webhook_block" in a}


def check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SetupError(f"${URL_VARIABLE} must be an http(s) URL (it is not printed here: it may hold a secret)")
    return url


def with_block_ids(definition: dict, block_ids: dict[str, str]) -> dict:
    """The definition with each action's `webhook_block` name replaced by the block's id."""
    actions = []
    for action in definition.get("actions", []):
        action = dict(action)
        name = action.pop("webhook_block", None)
        if name is not None:
            action["block_document_id"] = block_ids[name]
        actions.append(action)
    return {**definition, "actions": actions}


def _comparable(automation) -> dict:
    """An automation as data, without the ids the server gives it."""
    data = automation.model_dump(mode="json", exclude={"id", "created", "updated", "tags", "owner_resource"})
    data.get("trigger", {}).pop("id", None)
    return data


def apply(definitions: list[dict], url: str) -> list[str]:
    """Save the webhook block(s) and create or update every automation; one line per action taken."""
    from prefect.blocks.webhook import Webhook
    from prefect.client.orchestration import get_client
    from prefect.events.schemas.automations import AutomationCore
    from pydantic import ValidationError

    lines = []
    block_ids: dict[str, str] = {}
    for name in sorted(webhook_blocks(definitions)):
        block = Webhook(method="POST", url=url, headers={"Content-Type": "application/json"})
        block_ids[name] = str(block.save(name, overwrite=True))
        lines.append(f"webhook block {name}: saved (URL from ${URL_VARIABLE})")
    wanted = []
    for d in definitions:
        try:
            wanted.append(AutomationCore.model_validate(with_block_ids(d, block_ids)))
        except ValidationError as exc:
            raise SetupError(f"automation {d['name']}: {exc}") from exc
    with get_client(sync_client=True) as client:
        for automation in wanted:
            existing = client.read_automations_by_name(automation.name)
            if len(existing) == 1 and _comparable(existing[0]) == _comparable(automation):
                lines.append(f"automation {automation.name}: unchanged")
                continue
            for old in existing:
                client.delete_automation(old.id)
            new_id = client.create_automation(automation)
            lines.append(f"automation {automation.name}: {'replaced' if existing else 'created'} ({new_id})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path, help="automation files (default: automations/*.yaml)")
    args = parser.parse_args(argv)
    files = args.files or sorted((REPO / "automations").glob("*.yaml"))
    try:
        definitions = read_definitions(files)
        url = os.environ.get(URL_VARIABLE, "")
        if not url:
            print(
                f"notifications are off: set ${URL_VARIABLE} to a Slack-compatible webhook URL to create "
                f"{', '.join(d['name'] for d in definitions)}"
            )
            return 0
        for line in apply(definitions, check_url(url)):
            print(line)
    except SetupError as exc:
        print(f"automations: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
