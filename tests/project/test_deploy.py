"""deploy/ stays in step with the code (the images cannot be built here: no registry to pull from).

Every app service's command parses with the `chungtay` CLI, every CHUNGTAY_* variable the compose
file sets is a Settings field or one endpoints.production.yml reads, ports are the defaults, and
the Rasa image is the version the Rasa venv pins.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from chungtay.cli import build_parser
from chungtay.commands import rasa_server
from chungtay.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
APP_SERVICES = {"migrate", "actions", "worker", "gateway", "console"}
RASA_SERVICES = {"rasa-1", "rasa-2"}


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yml").read_text())
    return data


def endpoint_variables() -> set[str]:
    """The variables Rasa's configuration files read (endpoints and credentials)."""
    files = (DEPLOY / "endpoints.production.yml", ROOT / "credentials.yml")
    text = "".join(path.read_text() for path in files)
    return set(re.findall(r"\$\{(CHUNGTAY_\w+)\}", text))


def test_compose_has_every_process_of_issue_9() -> None:
    services = compose()["services"]
    assert {"postgres", "redis"} | APP_SERVICES | RASA_SERVICES <= set(services)
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert services["actions"]["deploy"]["replicas"] >= 2
    assert services["migrate"]["restart"] == "no"
    for name in APP_SERVICES - {"migrate"}:
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


@pytest.mark.parametrize("name", sorted(APP_SERVICES - {"actions"}))
def test_each_app_command_exists_in_the_cli(name: str) -> None:
    service = compose()["services"][name]
    assert "entrypoint" not in service  # the image's entrypoint: chungtay
    args = build_parser().parse_args(service["command"])  # exits (fails) on an unknown command
    assert callable(args.handler)


def test_action_server_command_matches_chungtay_run() -> None:
    from chungtay.commands import process_specs

    service = compose()["services"]["actions"]
    specs = {s.name: s for s in process_specs(Settings(_env_file=None), root=ROOT, model=ROOT)}  # type: ignore[call-arg]
    local = list(specs["actions"].command)
    assert service["entrypoint"] == ["python", *local[1:3]]  # python -m chungtay.action_server
    assert service["command"] == local[3:]
    assert service["environment"]["SANIC_HOST"] == "0.0.0.0"


def test_every_chungtay_variable_is_a_setting_or_an_endpoint_variable() -> None:
    fields = {f"CHUNGTAY_{name.upper()}" for name in Settings.model_fields}
    services = compose()["services"]
    used: set[str] = set()
    for name in APP_SERVICES | RASA_SERVICES:
        used |= {k for k in services[name].get("environment", {}) if k.startswith("CHUNGTAY_")}
    app_env = set(services["gateway"]["environment"])
    rasa_env = set(services["rasa-1"]["environment"])
    assert used, "no variables found"
    assert app_env - fields == set(), "unknown settings in compose.yml"
    assert rasa_env - endpoint_variables() == set(), "Rasa variables its endpoints do not read"
    assert endpoint_variables() <= rasa_env, "Rasa endpoints read variables compose does not set"
    # The env-file secrets the production profile insists on are all passed through.
    for secret in (
        "ENCRYPTION_KEYS",
        "SENDER_HASH_KEY",
        "CONSOLE_SECRET_KEY",
        "DATABASE_URL",
        "RASA_AUTH_TOKEN",
    ):
        assert f"CHUNGTAY_{secret}" in app_env
    # Rasa checks its callers with one secret and calls the action server with another, which
    # only the action server and Rasa hold.
    assert {"CHUNGTAY_RASA_AUTH_TOKEN", "CHUNGTAY_ACTION_SERVER_TOKEN"} <= rasa_env
    assert "CHUNGTAY_ACTION_SERVER_TOKEN" in services["actions"]["environment"]
    assert "CHUNGTAY_ACTION_SERVER_TOKEN" not in app_env


def test_ports_match_the_defaults() -> None:
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    services = compose()["services"]
    assert services["gateway"]["ports"] == [f"127.0.0.1:{defaults.gateway_port}:8000"]
    assert services["console"]["ports"] == [f"127.0.0.1:{defaults.console_port}:8001"]
    assert (defaults.gateway_port, defaults.console_port) == (8000, 8001)
    assert "--port" in services["actions"]["command"]
    assert services["actions"]["command"][-1] == str(defaults.action_server_port)
    rasa_url = services["gateway"]["environment"]["CHUNGTAY_RASA_URL"]
    assert rasa_url.endswith(f":{defaults.rasa_port}")
    action_url = services["rasa-1"]["environment"]["CHUNGTAY_ACTION_SERVER_URL"]
    assert f":{defaults.action_server_port}/webhook" in action_url
    rasa_cmd = (DEPLOY / "Dockerfile.rasa").read_text()
    assert f'"--port", "{defaults.rasa_port}"' in rasa_cmd


def test_images_are_built_on_the_pinned_versions() -> None:
    rasa_pin = re.search(r"^rasa==([\d.]+)$", (ROOT / "requirements/rasa.in").read_text(), re.M)
    assert rasa_pin
    rasa_file = (DEPLOY / "Dockerfile.rasa").read_text()
    assert f"FROM rasa/rasa:{rasa_pin.group(1)}-full" in rasa_file
    langdetect = re.search(
        r"^langdetect==[\d.]+$", (ROOT / "requirements/rasa.in").read_text(), re.M
    )
    assert langdetect and langdetect.group(0) in rasa_file
    assert "deploy/endpoints.production.yml" in rasa_file
    # The image starts Rasa as `chungtay run` does: through the launcher (nlu/rasa_server.py).
    spec = rasa_server(
        Settings(_env_file=None),  # type: ignore[call-arg]
        root=ROOT,
        model=ROOT / "models" / "m.tar.gz",
        host="127.0.0.1",
        port=5005,
    )
    launcher = spec.command[spec.command.index("-m") + 1]
    assert f'ENTRYPOINT ["python", "-m", "{launcher}"]' in rasa_file
    app_file = (DEPLOY / "Dockerfile.app").read_text()
    assert "FROM python:3.12-slim" in app_file
    assert "-c requirements/app.lock" in app_file
    # Every package the app installs is copied into the image.
    import tomllib

    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"
    ]
    for pattern in packages["find"]["include"]:
        assert f"COPY {pattern.rstrip('*')}/ /app/{pattern.rstrip('*')}/" in app_file


def test_every_process_that_erases_reaches_rasas_tracker_database() -> None:
    """Erasure (gateway, console) and retention (worker) delete Rasa's events themselves."""
    services = compose()["services"]
    rasa_db = services["rasa-1"]["environment"]["CHUNGTAY_RASA_TRACKER_DB_URL"]
    for name in ("gateway", "console", "worker"):
        env = services[name]["environment"]
        assert env.get("CHUNGTAY_RASA_TRACKER_STORE_URL") == rasa_db, name
        assert env.get("CHUNGTAY_SENDER_HASH_KEY") and env.get("CHUNGTAY_RASA_URLS"), name


def test_compose_starts_in_order_and_checks_health() -> None:
    """Every long-running service has a health check; every dependency waits for a condition."""
    services = compose()["services"]
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    for name, service in services.items():
        depends = service.get("depends_on", {})
        assert isinstance(depends, dict), f"{name}: depends_on without conditions"
        for dependency, rule in depends.items():
            assert rule["condition"] in {"service_healthy", "service_completed_successfully"}
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], (name, dependency)
        if name != "migrate":
            assert "healthcheck" in service, f"{name} has no health check"
    for name in RASA_SERVICES:
        assert services[name]["depends_on"]["actions"] == {"condition": "service_healthy"}
        assert ":5005/" in " ".join(services[name]["healthcheck"]["test"])
    # The app's checks read each process's own readiness on its default port.
    ports = {
        "gateway": defaults.gateway_port,
        "console": defaults.console_port,
        "worker": defaults.worker_port,
        "actions": defaults.action_server_port,
    }
    for name, port in ports.items():
        assert f"127.0.0.1:{port}/readyz" in " ".join(services[name]["healthcheck"]["test"])


def test_gateway_and_console_reach_rasas_tracker_and_trust_only_the_proxy() -> None:
    data = compose()
    services = data["services"]
    [network] = data["networks"]["default"]["ipam"]["config"]
    for name in ("gateway", "console"):
        env = services[name]["environment"]
        assert env["CHUNGTAY_RASA_TRACKER_STORE_URL"].startswith("postgresql://")
        # The host's proxy connects through the compose network's gateway address.
        gateway = network["gateway"]
        assert env["CHUNGTAY_TRUSTED_PROXIES"] == f"${{CHUNGTAY_TRUSTED_PROXIES:-{gateway}}}"


def test_app_image_owns_its_data_volume_and_leaves_bench_out() -> None:
    app_file = (DEPLOY / "Dockerfile.app").read_text()
    assert not re.search(r"^COPY .*bench", app_file, re.M)
    # The directory exists in the image, owned by the user the image runs as, before the volume
    # is declared: Docker creates a new named volume as a copy of it (uid 1001, not root).
    owned = app_file.index("install -d -o 1001 -g 1001 -m 0700 /var/lib/chungtay")
    assert owned < app_file.index("VOLUME /var/lib/chungtay") < app_file.index("USER 1001")
    assert "useradd --system --uid 1001" in app_file
    assert "postgresql-client" in app_file  # chungtay db backup / restore need pg_dump
    services = compose()["services"]
    for name in APP_SERVICES:
        assert "appdata:/var/lib/chungtay" in services[name]["volumes"]
        assert services[name]["environment"]["CHUNGTAY_DATA_DIR"] == "/var/lib/chungtay"


def systemd_unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections, each key with all its values (systemd allows repeats)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in (DEPLOY / "systemd" / name).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key, []).append(value)
    return sections


def test_systemd_units_run_the_production_profile_and_each_process() -> None:
    import shlex

    from chungtay.commands import process_specs

    units = {p.name for p in (DEPLOY / "systemd").iterdir()}
    whole = systemd_unit("chungtay.service")["Service"]
    [start] = whole["ExecStart"]
    args = build_parser().parse_args(shlex.split(start)[1:])
    assert (args.command, args.profile) == ("run", "production")
    assert whole["User"] == ["chungtay"] and whole["EnvironmentFile"]
    # The target starts one unit per process, each from a unit file here.
    wanted = " ".join(systemd_unit("chungtay-processes.target")["Unit"]["Wants"]).split()
    for unit in wanted:
        template = re.sub(r"@[^.]+\.", "@.", unit)
        assert template in units, unit
    for name in (
        "chungtay-gateway.service",
        "chungtay-console.service",
        "chungtay-worker@.service",
    ):
        service = systemd_unit(name)["Service"]
        args = build_parser().parse_args(shlex.split(service["ExecStart"][0])[1:])
        assert callable(args.handler) and service["User"] == ["chungtay"]
    backup = systemd_unit("chungtay-backup.service")["Service"]["ExecStart"][0]
    args = build_parser().parse_args(shlex.split(backup)[1:])
    assert (args.command, args.db_command) == ("db", "backup")
    assert systemd_unit("chungtay-backup.timer")["Timer"]["OnCalendar"]
    worker_env = " ".join(systemd_unit("chungtay-worker@.service")["Service"]["Environment"])
    assert "CHUNGTAY_WORKER_PORT=%i" in worker_env
    # The action server and Rasa start as chungtay run starts them.
    specs = {
        s.name: s
        for s in process_specs(Settings(_env_file=None), root=ROOT, model=ROOT / "m.tar.gz")  # type: ignore[call-arg]
    }
    actions = shlex.split(systemd_unit("chungtay-actions@.service")["Service"]["ExecStart"][0])
    assert actions[1:-1] == list(specs["actions"].command)[1:-1] and actions[-1] == "%i"
    rasa = shlex.split(systemd_unit("chungtay-rasa@.service")["Service"]["ExecStart"][0])
    local = list(specs["rasa"].command)
    assert [a for a in rasa[1:] if a.startswith("-")] == [a for a in local[1:] if a.startswith("-")]
    assert rasa[rasa.index("--port") + 1] == "%i"
    assert rasa[rasa.index("--endpoints") + 1] == "deploy/endpoints.production.yml"


def test_every_variable_the_deploy_guide_names_exists() -> None:
    fields = {f"CHUNGTAY_{name.upper()}" for name in Settings.model_fields}
    named = set(
        re.findall(r"\b(CHUNGTAY_[A-Z0-9_]*[A-Z0-9])\b", (DEPLOY / "README.md").read_text())
    )
    makefile = {"CHUNGTAY_AUDIT_OFFLINE"}  # read by `make audit`, not by the app
    assert named - fields - endpoint_variables() - makefile == set()


def test_every_metric_is_documented() -> None:
    sources = (ROOT / "chungtay/metrics.py", ROOT / "routing/probes.py")
    defined = set(re.findall(r'"(chungtay_[a-z_]+)"', "".join(p.read_text() for p in sources)))
    guide = (DEPLOY / "README.md").read_text()
    documented = set(re.findall(r"`(chungtay_[a-z_]+)`", guide))
    assert len(defined) >= 15
    # Counters are exposed (and documented) with the _total suffix.
    assert {n for n in defined if n not in documented and f"{n}_total" not in documented} == set()
    assert {n.removesuffix("_total") for n in documented} <= defined
