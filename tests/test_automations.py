"""The notification automations (automations/*.yaml) and the script that creates them, without a
server: each file is a valid Prefect automation once its webhook block has an id, the payloads
render (with Prefect's own template sandbox and filters) to Slack-compatible JSON whose values are
escaped for Slack, and the script refuses what it cannot use. The end-to-end test runs them on a
real server with a webhook receiver."""

from __future__ import annotations

import importlib.util
import json
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from conftest import REPO

spec = importlib.util.spec_from_file_location("automations_script", REPO / "scripts" / "automations.py")
script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(script)

FILES = sorted((REPO / "automations").glob("*.yaml"))
# These import Prefect's server-side models and template sandbox (seconds): out of make test-fast.
needs_prefect = pytest.mark.prefect
BLOCK_ID = str(uuid.UUID(int=1))


def definitions() -> dict[str, dict]:
    return {d["name"]: d for d in script.read_definitions(FILES)}


def render(template: str, **context) -> dict:
    from prefect.server.events.actions import CallWebhook
    from prefect.server.utilities.user_templates import render_user_template_sync

    CallWebhook.validate_template(template, "payload")  # what the server does when it is created
    return json.loads(render_user_template_sync(template, context))


def payload(name: str) -> str:
    (action,) = definitions()[name]["actions"]
    assert action["type"] == "call-webhook" and action["webhook_block"] == "bluebook-notify"
    return action["payload"]


@needs_prefect
def test_every_file_is_a_valid_automation_once_its_block_has_an_id():
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture

    found = definitions()
    assert set(found) == {"bluebook-review-failed", "bluebook-review-stale"}
    failed = AutomationCore.model_validate(
        script.with_block_ids(found["bluebook-review-failed"], {"bluebook-notify": BLOCK_ID})
    )
    assert isinstance(failed.trigger, EventTrigger) and failed.trigger.posture == Posture.Reactive
    assert failed.trigger.expect == {"prefect.flow-run.Failed", "prefect.flow-run.Crashed"}
    assert str(failed.actions[0].block_document_id) == BLOCK_ID
    stale = AutomationCore.model_validate(
        script.with_block_ids(found["bluebook-review-stale"], {"bluebook-notify": BLOCK_ID})
    )
    assert stale.trigger.posture == Posture.Proactive and stale.trigger.within == timedelta(days=8)
    assert stale.trigger.expect == {"prefect.flow-run.Completed"} and stale.trigger.threshold == 1
    for automation in (failed, stale):  # both watch the review flow, and only it
        labels = automation.trigger.match_related
        assert labels["prefect.resource.role"] == ["flow"] and labels["prefect.resource.name"] == ["review"]


@needs_prefect
def test_the_failure_message_names_the_contracts_and_links_the_run_escaped_for_slack():
    from prefect.server.schemas.core import FlowRun
    from prefect.server.schemas.states import State, StateType
    from prefect.settings import PREFECT_UI_URL, temporary_settings

    run = FlowRun(
        id=uuid.UUID(int=7),
        name="review-all",
        flow_id=uuid.uuid4(),
        state=State(
            type=StateType.FAILED,
            name="Failed",
            message='1 broken contract(s): schema.enum (2025/memberships/<!channel> & "x")\n{{ 7*7 }}',
        ),
    )
    with temporary_settings(updates={PREFECT_UI_URL: "http://127.0.0.1:4200"}):
        body = render(payload("bluebook-review-failed"), flow_run=run)
    assert list(body) == ["text"]
    lines = body["text"].splitlines()
    assert lines[0] == (
        "bluebook review review-all ended Failed: 1 broken contract(s): schema.enum "
        '(2025/memberships/&lt;!channel&gt; &amp; "x")'
    )
    assert lines[1] == "{{ 7*7 }}"  # a value is never rendered as a template
    assert lines[2] == f"<http://127.0.0.1:4200/runs/flow-run/{run.id}|Open the run in Prefect>"


@needs_prefect
def test_the_failure_message_without_a_readable_run_still_is_json():
    body = render(payload("bluebook-review-failed"), flow_run=None)
    assert body["text"].startswith("bluebook review ? ended")


@needs_prefect
def test_the_stale_message_says_the_window():
    text = render(
        payload("bluebook-review-stale"), automation=SimpleNamespace(trigger=SimpleNamespace(within=timedelta(days=8)))
    )["text"]
    assert text.startswith("bluebook: no review run has completed in the last 8 days.")
    assert "review/review-weekly" in text


def test_without_a_url_nothing_is_created(monkeypatch, capsys):
    monkeypatch.delenv(script.URL_VARIABLE, raising=False)
    assert script.main([]) == 0
    assert "notifications are off: set $BLUEBOOK_WEBHOOK_URL" in capsys.readouterr().out


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "http://", "hooks.slack.com/x"])
def test_a_url_that_is_not_http_is_refused_without_printing_it(monkeypatch, capsys, url):
    monkeypatch.setenv(script.URL_VARIABLE, url)
    assert script.main([]) == 1
    err = capsys.readouterr().err
    assert "must be an http(s) URL" in err and url not in err


def test_duplicate_or_shapeless_definitions_are_refused(tmp_path, capsys):
    one = tmp_path / "a.yaml"
    one.write_text("name: same\ntrigger: {}\n", encoding="utf-8")
    two = tmp_path / "b.yaml"
    two.write_text("automations: [{name: same}]\n", encoding="utf-8")
    assert script.main([str(one), str(two)]) == 1
    assert "automation names must be unique: same" in capsys.readouterr().err
    two.write_text("- just a string\n", encoding="utf-8")
    assert script.main([str(two)]) == 1
    assert "expected an automation" in capsys.readouterr().err
