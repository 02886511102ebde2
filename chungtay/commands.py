"""`chungtay run` and `chungtay train`: the commands behind `make run`."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from chungtay.settings import Settings, get_settings
from chungtay.supervisor import ProcessSpec, Supervisor
from chungtay.training import ensure_model, project_root

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    run = subparsers.add_parser("run", help="start Rasa, actions, gateway, worker and console")
    run.add_argument(
        "--profile",
        choices=("development", "production"),
        help="overrides CHUNGTAY_PROFILE; production: Rasa replicas, action servers and workers "
        "on PostgreSQL + Redis (see README)",
    )
    run.add_argument("--no-train", action="store_true", help="use the current model as it is")
    run.add_argument(
        "--ready-timeout", type=float, default=300.0, help="seconds to wait for start-up"
    )
    run.set_defaults(handler=run_command)

    train = subparsers.add_parser("train", help="train the Rasa model if its inputs changed")
    train.add_argument("--force", action="store_true", help="train even if the model is current")
    train.set_defaults(handler=train_command)


def train_command(args: argparse.Namespace) -> int:
    settings = get_settings()
    path = ensure_model(project_root(), settings.model_dir, force=args.force)
    print(path)
    return 0


def rasa_state(settings: Settings) -> tuple[str, dict[str, str]]:
    """The endpoints file for Rasa's conversation state, and the variables it reads.

    In memory by default; PostgreSQL tracker store + Redis lock store when both URLs are set.
    """
    tracker, lock = settings.rasa_tracker_store_url, settings.rasa_lock_store_url
    if not tracker and not lock:
        return "endpoints.yml", {}
    if not (tracker and lock):
        raise SystemExit(
            "set both CHUNGTAY_RASA_TRACKER_STORE_URL and CHUNGTAY_RASA_LOCK_STORE_URL, or neither"
        )
    redis = urlsplit(lock)
    if redis.scheme != "redis" or not redis.hostname:
        raise SystemExit("CHUNGTAY_RASA_LOCK_STORE_URL must look like redis://host:6379/0")
    return "deploy/endpoints.production.yml", {
        # Rasa's SQLAlchemy 1.4 speaks psycopg2: accept our own psycopg 3 URL form too.
        "CHUNGTAY_RASA_TRACKER_DB_URL": tracker.replace("postgresql+psycopg://", "postgresql://"),
        "CHUNGTAY_RASA_LOCK_REDIS_HOST": redis.hostname,
        "CHUNGTAY_RASA_LOCK_REDIS_PORT": str(redis.port or 6379),
        "CHUNGTAY_RASA_LOCK_REDIS_DB": redis.path.strip("/") or "0",
    }


def production_problems(settings: Settings) -> list[str]:
    """What stops the production profile from starting (empty when it can start)."""
    from chungtay.dev_secrets import missing_secrets

    problems = [f"set CHUNGTAY_{name.upper()}" for name in missing_secrets(settings)]
    if not settings.database_url.startswith("postgresql"):
        problems.append("CHUNGTAY_DATABASE_URL must be a postgresql+psycopg:// URL")
    if not settings.rasa_tracker_store_url.startswith("postgresql"):
        problems.append("CHUNGTAY_RASA_TRACKER_STORE_URL must be a postgresql:// URL")
    if not settings.rasa_lock_store_url.startswith("redis://"):
        problems.append("CHUNGTAY_RASA_LOCK_STORE_URL must be a redis:// URL")
    return problems


def rasa_server(
    settings: Settings,
    *,
    root: Path,
    model: Path,
    host: str,
    port: int,
    name: str = "rasa",
    action_server_port: int | None = None,
) -> ProcessSpec:
    """Rasa's HTTP server (REST channels and /model/parse) on our model, in the Rasa venv."""
    endpoints, state_env = rasa_state(settings)
    actions_port = action_server_port or settings.action_server_port
    return ProcessSpec(
        name=name,
        command=[
            # Rasa's command line with the action-response check compiled once (nlu/rasa_server.py).
            str(root / ".venv-rasa" / "bin" / "python"),
            "-m",
            "nlu.rasa_server",
            "run",
            "--enable-api",
            "--model",
            str(model),
            "--interface",
            host,
            "--port",
            str(port),
            "--endpoints",
            endpoints,
            "--credentials",
            "credentials.yml",
        ],
        ready_url=f"http://{host}:{port}/",
        env={
            "CHUNGTAY_ACTION_SERVER_URL": f"http://{settings.bind_host}:{actions_port}/webhook",
            # nlu.rasa_server turns the first into --auth-token (never on the command line);
            # endpoints.yml sends the second to the action server, credentials.yml reads the first.
            "CHUNGTAY_RASA_AUTH_TOKEN": settings.rasa_auth_token,
            "CHUNGTAY_ACTION_SERVER_TOKEN": settings.action_server_token,
            **state_env,
        },
    )


def action_server(settings: Settings, *, root: Path, port: int, name: str) -> ProcessSpec:
    host = settings.bind_host
    return ProcessSpec(
        name=name,
        command=[
            # rasa-sdk's executor behind a token, content-free errors (chungtay/action_server.py)
            str(root / ".venv" / "bin" / "python"),
            "-m",
            "chungtay.action_server",
            "--actions",
            "actions",
            "--port",
            str(port),
        ],
        ready_url=f"http://{host}:{port}/health",
        env={"SANIC_HOST": host, "CHUNGTAY_ACTION_SERVER_TOKEN": settings.action_server_token},
    )


def routing_worker(settings: Settings, *, root: Path, index: int, name: str) -> ProcessSpec:
    """Worker ``index`` (from 0); its probes and /metrics on worker_port + index (0: none)."""
    command = [str(root / ".venv" / "bin" / "chungtay"), "worker"]
    if not settings.worker_port:
        return ProcessSpec(name=name, command=command)
    port = settings.worker_port + index
    return ProcessSpec(
        name=name,
        command=command,
        ready_url=f"http://{settings.bind_host}:{port}/livez",
        env={"CHUNGTAY_WORKER_PORT": str(port)},
    )


def process_specs(settings: Settings, *, root: Path, model: Path) -> list[ProcessSpec]:
    """The processes of one Chung Tay node, in start order.

    Development: one of each. Production: ``rasa_replicas`` Rasa servers (each its own process
    on one model; Rasa's endpoints take a single action server URL, so replica i calls action
    server i mod ``action_servers``), ``routing_workers`` workers, and a gateway that spreads
    conversations over the replicas by sender (bot/rasa_client.py).
    """
    venv_bin = root / ".venv" / "bin"
    host = settings.bind_host
    if settings.profile != "production":
        rasa = [rasa_server(settings, root=root, model=model, host=host, port=settings.rasa_port)]
        actions = [
            action_server(settings, root=root, port=settings.action_server_port, name="actions")
        ]
        workers = [routing_worker(settings, root=root, index=0, name="worker")]
        gateway_env: dict[str, str] = {}
    else:
        action_ports = [settings.action_server_port + j for j in range(settings.action_servers)]
        rasa_ports = [settings.rasa_port + i for i in range(settings.rasa_replicas)]
        rasa = [
            rasa_server(
                settings,
                root=root,
                model=model,
                host=host,
                port=port,
                name=f"rasa-{i + 1}",
                action_server_port=action_ports[i % len(action_ports)],
            )
            for i, port in enumerate(rasa_ports)
        ]
        actions = [
            action_server(settings, root=root, port=port, name=f"actions-{j + 1}")
            for j, port in enumerate(action_ports)
        ]
        workers = [
            routing_worker(settings, root=root, index=k, name=f"worker-{k + 1}")
            for k in range(settings.routing_workers)
        ]
        gateway_env = {"CHUNGTAY_RASA_URLS": ",".join(f"http://{host}:{p}" for p in rasa_ports)}
    return [
        *rasa,
        *actions,
        *workers,
        ProcessSpec(
            name="gateway",
            command=[str(venv_bin / "chungtay"), "gateway"],
            ready_url=f"http://{host}:{settings.gateway_port}/healthz",
            env=gateway_env,
        ),
        ProcessSpec(
            name="console",
            command=[str(venv_bin / "chungtay"), "console"],
            ready_url=f"http://{host}:{settings.console_port}/healthz",
        ),
    ]


def run_command(args: argparse.Namespace) -> int:
    from chungtay.dev_secrets import ensure_dev_secrets

    root = project_root()
    os.chdir(root)  # relative defaults (var/, models/, endpoints.yml) are relative to the project
    if args.profile:
        os.environ["CHUNGTAY_PROFILE"] = args.profile  # the children read it too
        get_settings.cache_clear()
    settings = get_settings()
    if settings.profile == "production" and (problems := production_problems(settings)):
        raise SystemExit(
            "production profile cannot start:\n  - "
            + "\n  - ".join(problems)
            + "\n(see .env.example and README, 'Production on one machine')"
        )
    if ensure_dev_secrets(settings):
        get_settings.cache_clear()
        settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    for prepare in args.before_run:  # chungtay/cli.py: the store's migrations
        prepare(settings)
    model = ensure_model(root, settings.model_dir, force=False) if not args.no_train else None
    if model is None:
        candidates = sorted(settings.model_dir.glob("chungtay-*.tar.gz"))
        if not candidates:
            raise SystemExit("no trained model: run without --no-train")
        model = candidates[-1]
    specs = process_specs(settings, root=root, model=model)
    # A child that dies after start-up is started again; the others keep serving meanwhile.
    json_lines = settings.log_format == "json"
    with Supervisor(specs, cwd=root, restart=True, json_lines=json_lines) as supervisor:
        logger.info("starting; Rasa needs up to a minute to load its model")
        try:
            supervisor.wait_ready(args.ready_timeout)
        except (RuntimeError, TimeoutError) as error:
            logger.error("start-up failed: %s", error)
            return 1
        print(
            "\n  Chung Tay is running.\n"
            f"  Web chat:          {settings.public_base_url}/\n"
            f"  Operator console:  {settings.console_base_url}/\n"
            "  First console user: .venv/bin/chungtay console create-admin --username admin\n"
            "  On-duty staff:      .venv/bin/chungtay roster add --help\n"
            + (
                f"  Production:        {settings.rasa_replicas} Rasa replicas, "
                f"{settings.action_servers} action servers, {settings.routing_workers} workers\n"
                if settings.profile == "production"
                else ""
            )
            + "  Stop with Ctrl-C.\n",
            flush=True,
        )
        code = supervisor.wait()
    logger.info("stopped")
    return code
