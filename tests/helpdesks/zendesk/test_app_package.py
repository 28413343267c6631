"""The Zendesk app package, validated against Zendesk's published app rules.

The rules are Zendesk's own, as its validator enforces them (github zendesk/zendesk_apps_support:
validations/manifest.rb, translations.rb, requirements.rb, screenshots.rb, app_requirement.rb,
location.rb, manifest/parameter.rb) and as the developer docs state them (apps-v2 setup "File
requirements", the manifest reference, "Specifying app requirements", the Views and Triggers
APIs). They are written out here, independently of the code that builds the package.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from feedbackloop import __version__
from feedbackloop.cli import cli
from feedbackloop.helpdesks.zendesk.app_package import (
    EXAMPLE_BACKEND_URL,
    draw_logo,
    dumps,
    png_size,
    render_requirements,
    write_images,
)

SOURCE = Path(__file__).parents[3] / "manifest"
BACKEND = "https://fb.acme.com"

# --- Zendesk's rules ---------------------------------------------------------------------------------

REQUIRED_FILES = ("manifest.json", "assets/logo.png", "assets/logo-small.png", "translations/en.json")
#: Manifest keys the validator requires (author, defaultLocale; frameworkVersion and location for
#: any app that is not requirements-only or marketing-only).
REQUIRED_MANIFEST_KEYS = ("author", "defaultLocale", "frameworkVersion", "location")
FRAMEWORK_VERSIONS = ("2.0",)
BOOLEAN_KEYS = ("requirementsOnly", "marketingOnly", "singleInstall", "signedUrls", "private")
STRING_KEYS = ("defaultLocale", "version", "frameworkVersion", "remoteInstallationURL", "termsConditionsURL", "gaID")
PARAMETER_TYPES = ("text", "password", "checkbox", "url", "number", "multiline", "hidden", "oauth")
SUPPORT_LOCATIONS = ("top_bar", "nav_bar", "ticket_sidebar", "new_ticket_sidebar", "user_sidebar",
                     "organization_sidebar", "background", "modal", "ticket_editor", "system_top_bar", "ticket_module")
VALID_LOCALE = re.compile(r"^[a-z]{2}(-\w{2,3})?$")
#: requirements.json's allowed top-level keys (AppRequirement::TYPES, plus webhooks per the docs).
REQUIREMENT_TYPES = ("automations", "channel_integrations", "custom_objects", "macros", "targets", "views",
                     "ticket_fields", "triggers", "user_fields", "organization_fields", "webhooks")
MAX_REQUIREMENTS = 5000
FIELD_TYPES = ("text", "textarea", "checkbox", "date", "integer", "decimal", "regexp", "partialcreditcard",
               "multiselect", "tagger", "lookup")
#: A view's `all` must check one of these (Views API, Create View).
VIEW_ANCHOR_FIELDS = ("status", "type", "group_id", "assignee_id", "requester_id")
IMAGE_SIZES = {"assets/logo.png": (128, 128), "assets/logo-small.png": (64, 64)}
SCREENSHOT = re.compile(r"^assets/screenshot-\d\.png$")
SCREENSHOT_SIZE, MAX_SCREENSHOTS = (1024, 768), 3


def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Zendesk refuses JSON that repeats a key (duplicate_manifest_keys, duplicate_requirements)."""
    keys = [key for key, _ in pairs]
    duplicates = {key for key in keys if keys.count(key) > 1}
    assert not duplicates, f"duplicate keys {duplicates}"
    return dict(pairs)


def load(files: dict[str, bytes], name: str) -> Any:
    return json.loads(files[name], object_pairs_hook=no_duplicate_keys)


def manifest_errors(files: dict[str, bytes]) -> list[str]:
    """validations/manifest.rb, in the order it checks."""
    manifest = load(files, "manifest.json")
    errors = [f"missing {key}" for key in REQUIRED_MANIFEST_KEYS if key not in manifest]
    errors += [f"{key} is not a boolean" for key in BOOLEAN_KEYS if key in manifest and not isinstance(manifest[key], bool)]
    errors += [f"{key} is not a string" for key in STRING_KEYS if key in manifest and not isinstance(manifest[key], str)]
    author = manifest.get("author", {})
    errors += [f"author {key} is not a string" for key in ("name", "email", "url") if not isinstance(author.get(key), str)]
    if not re.match(r"^https?://", author.get("url", "")):
        errors.append("author url is not a URL")
    if manifest.get("frameworkVersion") not in FRAMEWORK_VERSIONS:
        errors.append("invalid frameworkVersion")
    locale = manifest.get("defaultLocale", "")
    if not VALID_LOCALE.match(locale) or f"translations/{locale}.json" not in files:
        errors.append("defaultLocale has no translation file")
    whitelist = manifest.get("domainWhitelist")
    if whitelist is not None and not (isinstance(whitelist, list) and all(isinstance(d, str) for d in whitelist)):
        errors.append("domainWhitelist is not an array of strings")
    return errors + location_errors(manifest, files) + parameter_errors(manifest)


def location_errors(manifest: dict[str, Any], files: dict[str, bytes]) -> list[str]:
    """Hosts and location names Zendesk knows; each location's url an https URL or a packaged asset."""
    location = manifest.get("location")
    if not isinstance(location, dict) or not location:
        return ["location is empty"]
    errors = [f"unknown host {host}" for host in location if host != "support"]
    for name, options in location.get("support", {}).items():
        if name not in SUPPORT_LOCATIONS:
            errors.append(f"unknown location {name}")
        url = options.get("url") if isinstance(options, dict) else options
        if not isinstance(url, str) or not url:
            errors.append(f"{name} has no url")
        elif not (url.startswith("https://") or (url.startswith("assets/") and url in files)):
            errors.append(f"{name} url {url} is neither https nor a packaged asset")
        if isinstance(options, dict) and options.get("flexible") not in (None, True, False):
            errors.append(f"{name} flexible is not a boolean")
    return errors


def parameter_errors(manifest: dict[str, Any]) -> list[str]:
    """manifest/parameter.rb types; unique names, not "name"; booleans; hidden not required; oauth rules."""
    parameters = manifest.get("parameters", [])
    if not isinstance(parameters, list):
        return ["parameters is not an array"]
    names = [p.get("name") for p in parameters]
    errors = [f"duplicate parameter {n}" for n in set(names) if names.count(n) > 1]
    errors += ["a parameter is called name"] if "name" in names else []
    for parameter in parameters:
        kind = parameter.get("type", "text")
        errors += [f"{parameter['name']} has type {kind}"] if kind not in PARAMETER_TYPES else []
        errors += [f"{parameter['name']}.{key} is not a boolean" for key in ("required", "secure")
                   if key in parameter and not isinstance(parameter[key], bool)]
        errors += [f"{parameter['name']} is hidden and required"] if kind == "hidden" and parameter.get("required") else []
        errors += [f"{parameter['name']} is oauth and secure"] if kind == "oauth" and parameter.get("secure") else []
    if sum(1 for p in parameters if p.get("type") == "oauth") > 1:
        errors.append("more than one oauth parameter")
    return errors


def translation_errors(files: dict[str, bytes], private: bool) -> list[str]:
    """validations/translations.rb: valid locales, JSON objects, the marketplace keys in en.json."""
    errors = []
    for name in (n for n in files if n.startswith("translations/")):
        locale = name.removeprefix("translations/").removesuffix(".json")
        errors += [f"{name}: invalid locale"] if not VALID_LOCALE.match(locale) else []
        errors += [f"{name}: not a JSON object"] if not isinstance(load(files, name), dict) else []
    required = ["name"] if private else ["name", "short_description", "installation_instructions", "long_description"]
    app = load(files, "translations/en.json").get("app", {})
    return errors + [f"translations/en.json lacks app.{key}" for key in required if key not in app]


def image_errors(files: dict[str, bytes]) -> list[str]:
    """Logo sizes (128×128, 64×64) and screenshots (at most 3, 1024×768), from the PNG header."""
    errors = [f"{name} is {png_size(files[name])}, not {size}" for name, size in IMAGE_SIZES.items()
              if png_size(files[name]) != size]
    screenshots = [name for name in files if SCREENSHOT.match(name)]
    errors += ["too many screenshots"] if len(screenshots) > MAX_SCREENSHOTS else []
    return errors + [f"{name} is not {SCREENSHOT_SIZE}" for name in screenshots if png_size(files[name]) != SCREENSHOT_SIZE]


def condition_errors(where: str, conditions: Any) -> list[str]:
    if not isinstance(conditions, list) or not all(isinstance(c, dict) and {"field", "operator"} <= set(c)
                                                   for c in conditions):
        return [f"{where}: conditions must be a list of {{field, operator, value}}"]
    return []


def action_errors(where: str, actions: Any) -> list[str]:
    if not isinstance(actions, list) or not actions or not all(isinstance(a, dict) and {"field", "value"} <= set(a)
                                                               for a in actions):
        return [f"{where}: actions must be a non-empty list of {{field, value}}"]
    return []


def requirement_errors(requirements: dict[str, Any]) -> list[str]:
    """validations/requirements.rb, and each resource's create-body shape from its API reference."""
    errors = [f"unknown requirement type {key}" for key in requirements if key not in REQUIREMENT_TYPES]
    if sum(len(group) for group in requirements.values()) > MAX_REQUIREMENTS:
        errors.append("too many requirements")
    webhooks = requirements.get("webhooks", {})
    for kind, group in requirements.items():
        for identifier, body in group.items():
            where = f"{kind}.{identifier}"
            if kind not in ("channel_integrations", "custom_objects", "webhooks") and "title" not in body:
                errors.append(f"{where} lacks title")
            errors += RESOURCE_RULES.get(kind, lambda w, b, h: [])(where, body, webhooks)
    return errors


def webhook_rules(where: str, body: dict[str, Any], webhooks: dict[str, Any]) -> list[str]:
    """Webhooks API: name, https endpoint, method, format, subscriptions (events need POST + json)."""
    errors = [f"{where} lacks {key}" for key in ("name", "endpoint", "http_method", "request_format", "subscriptions")
              if key not in body]
    if not str(body.get("endpoint", "")).startswith("https://"):
        errors.append(f"{where} endpoint is not https")
    events = [s for s in body.get("subscriptions", []) if s != "conditional_ticket_events"]
    if events and (body.get("http_method"), body.get("request_format")) != ("POST", "json"):
        errors.append(f"{where} subscribes to events without POST + json")
    if events and len(events) != len(body["subscriptions"]):
        errors.append(f"{where} mixes events and conditional_ticket_events")
    return errors


def trigger_rules(where: str, body: dict[str, Any], webhooks: dict[str, Any]) -> list[str]:
    """Triggers API: conditions and actions; a notification_webhook names a declared webhook."""
    errors = condition_errors(where, body.get("all", [])) + condition_errors(where, body.get("any", []))
    errors += action_errors(where, body.get("actions"))
    for action in body.get("actions", []):
        if action.get("field") == "notification_webhook":
            target, payload = action["value"]
            errors += [f"{where} calls undeclared webhook {target}"] if target not in webhooks else []
            errors += [f"{where} calls an event-subscribed webhook"] if webhooks.get(target, {}).get(
                "subscriptions") != ["conditional_ticket_events"] else []
            errors += [f"{where} sends an empty body"] if not payload else []
    return errors


def view_rules(where: str, body: dict[str, Any], webhooks: dict[str, Any]) -> list[str]:
    """Views API: `all` checks status, type, group_id, assignee_id or requester_id."""
    errors = condition_errors(where, body.get("all")) + condition_errors(where, body.get("any", []))
    if not any(c.get("field") in VIEW_ANCHOR_FIELDS for c in body.get("all", [])):
        errors.append(f"{where}: all must check one of {VIEW_ANCHOR_FIELDS}")
    return errors + ([f"{where}: output.columns is empty"] if not body.get("output", {}).get("columns") else [])


def field_rules(where: str, body: dict[str, Any], webhooks: dict[str, Any]) -> list[str]:
    """Ticket Fields API: a known type; a dropdown's options have names and tag values without spaces."""
    errors = [f"{where} has type {body.get('type')}"] if body.get("type") not in FIELD_TYPES else []
    if body.get("type") in ("tagger", "multiselect"):
        options = body.get("custom_field_options") or []
        errors += [f"{where} has no options"] if not options else []
        errors += [f"{where} option {o}" for o in options if not o.get("name") or not o.get("value") or " " in o["value"]]
    return errors


def macro_rules(where: str, body: dict[str, Any], webhooks: dict[str, Any]) -> list[str]:
    return action_errors(where, body.get("actions"))


RESOURCE_RULES = {"webhooks": webhook_rules, "triggers": trigger_rules, "views": view_rules,
                  "ticket_fields": field_rules, "macros": macro_rules}


def package_errors(path: Path) -> list[str]:
    """Every rule, for one zip."""
    with zipfile.ZipFile(path) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    errors = [f"missing {name}" for name in REQUIRED_FILES if name not in files]
    errors += [f"nested manifest {n}" for n in files if n.endswith("/manifest.json")]
    if errors:
        return errors
    private = load(files, "manifest.json").get("private", True)
    errors += manifest_errors(files) + translation_errors(files, private) + image_errors(files)
    if "requirements.json" in files:
        errors += requirement_errors(load(files, "requirements.json"))
    return errors


# --- the tests --------------------------------------------------------------------------------------


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """`feedbackloop app package` run for a backend at BACKEND."""
    out = tmp_path / "app.zip"
    result = CliRunner().invoke(cli, ["app", "package", "--source", str(SOURCE), "--out", str(out),
                                      "--backend-url", BACKEND])
    assert result.exit_code == 0, result.output
    return out


def read(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_package_passes_zendesks_rules(package: Path) -> None:
    assert package_errors(package) == []


def test_the_package_holds_only_what_zendesk_reads(package: Path) -> None:
    assert sorted(read(package)) == ["assets/logo-small.png", "assets/logo.png",
                                     "assets/screenshot-0.png", "manifest.json", "requirements.json",
                                     "translations/en.json"]


def test_the_manifest_is_the_sidebar_with_signed_urls_and_a_secure_token(package: Path) -> None:
    manifest = json.loads(read(package)["manifest.json"])

    assert manifest["location"] == {"support": {"ticket_sidebar": {"url": f"{BACKEND}/zendesk/sidebar",
                                                                   "flexible": True}}}
    assert (manifest["frameworkVersion"], manifest["signedUrls"], manifest["private"]) == ("2.0", True, True)
    assert manifest["version"] == __version__ and manifest["defaultLocale"] == "en"
    params = {p["name"]: p for p in manifest["parameters"]}
    assert params["backend_url"] == {"name": "backend_url", "type": "url", "required": True, "default": BACKEND}
    assert params["api_token"]["secure"] is True
    assert manifest["domainWhitelist"] == ["fb.acme.com"]  # secure settings go to whitelisted hosts only


def test_requirements_declare_what_install_makes_for_this_backend(package: Path) -> None:
    requirements = json.loads(read(package)["requirements.json"])

    titles = {kind: sorted(body.get("title") or body["name"] for body in group.values())
              for kind, group in requirements.items()}
    assert titles == {
        "ticket_fields": ["AI override reason", "CSAT score", "Review root cause", "Source ticket"],
        "webhooks": ["feedbackloop: ticket events", "feedbackloop: trigger notifications"],
        "views": ["Feedback reviews"], "macros": ["Override AI decision"]}
    assert {w["endpoint"] for w in requirements["webhooks"].values()} == {f"{BACKEND}/webhooks/zendesk"}
    # No triggers: how a trigger requirement names a webhook requirement is not documented by Zendesk;
    # `feedbackloop install` creates them with the webhook's real id.
    assert "triggers" not in requirements


def test_the_committed_requirements_are_the_rendered_ones() -> None:
    committed = (SOURCE / "requirements.json").read_text("utf-8")

    assert committed == dumps(render_requirements(EXAMPLE_BACKEND_URL)), \
        "regenerate: feedbackloop app requirements --backend-url https://feedback.example.com > manifest/requirements.json"


def test_the_rules_catch_a_broken_package(tmp_path: Path) -> None:
    files = {name: (SOURCE / name).read_bytes() for name in REQUIRED_FILES}
    manifest = json.loads(files["manifest.json"])
    manifest["location"]["support"]["ticket_sidebbar"] = {"url": "assets/missing.html"}
    manifest["parameters"].append({"name": "name", "type": "dropdown", "secure": "yes"})
    files["manifest.json"] = json.dumps(manifest).encode()
    files["assets/logo.png"] = draw_logo(100)
    files["requirements.json"] = json.dumps({"groups": {"g": {"name": "x"}},
                                             "views": {"v": {"title": "t", "all": [{"field": "current_tags",
                                                                                    "operator": "includes"}]}}}).encode()
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)

    errors = package_errors(broken)

    assert "unknown location ticket_sidebbar" in errors and "a parameter is called name" in errors
    assert "name has type dropdown" in errors and "name.secure is not a boolean" in errors
    assert "assets/logo.png is (100, 100), not (128, 128)" in errors
    assert "unknown requirement type groups" in errors and any("all must check one of" in e for e in errors)


def test_the_sidebar_page_loads_the_sdk_calls_the_backend_and_never_injects_html() -> None:
    """The sidebar is served by the backend (signed URL → our session), not packaged."""
    page = (Path(__file__).parents[3] / "src/feedbackloop/templates/sidebar/app.html").read_text("utf-8")

    assert 'src="{{ zaf_sdk }}"' in page and '"/api/tickets/" + ticketId' in page and '"/overrides"' in page
    assert '"Authorization": "Bearer " + session' in page
    assert "innerHTML" not in page and "insertAdjacentHTML" not in page


def test_images_are_reproducible_pngs(tmp_path: Path) -> None:
    written = write_images(tmp_path)

    for path in written:
        assert path.read_bytes() == (SOURCE / "assets" / path.name).read_bytes(), f"regenerate {path.name}"
    assert png_size(draw_logo(64)) == (64, 64)
    with pytest.raises(ValueError):
        png_size(b"GIF89a" + bytes(30))


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for name in ("a.zip", "b.zip"):
        result = CliRunner().invoke(cli, ["app", "package", "--source", str(SOURCE), "--out", str(tmp_path / name),
                                          "--backend-url", BACKEND])
        assert result.exit_code == 0
        outputs.append((tmp_path / name).read_bytes())

    assert outputs[0] == outputs[1]


def test_packaging_a_folder_that_is_not_an_app_fails_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["app", "package", "--source", str(tmp_path), "--out", str(tmp_path / "x.zip"),
                                      "--backend-url", BACKEND])

    assert result.exit_code == 1 and "missing manifest.json" in result.output and "Traceback" not in result.output
