"""The `newsqa` command: index, ask, chat, bot, watch, eval, speakers, model."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from bot.options import Parser, seconds_between, whole_number
from retrieval.errors import NewsqaError
from retrieval.settings import Settings, load_settings

log = logging.getLogger("newsqa")

#: retrieval.query.MAX_K, the most results one question may ask for (not imported: the
#: query package pulls numpy in, and `newsqa --help` should not wait for it; a test
#: checks that the two agree).
MAX_K = 50

EXAMPLES = """\
examples:
  newsqa index                       index seeds/ (only what changed)
  newsqa ask "ماذا قال شي؟" -k 5      answer one question
  newsqa ask "What did Xi say?" --json
  newsqa speakers --lang en          who is quoted most (ask «ماذا قال X؟» about them)
  newsqa chat                        an interactive session
  TELEGRAM_BOT_TOKEN=... newsqa bot  the Telegram bot (re-indexes when seeds change)
  newsqa watch                       re-index whenever seeds/ changes
  newsqa index --ray HOST:6379       embed on a Ray cluster's workers (docs/scale.md)
  newsqa model                       the embedding paths chosen for this CPU, with their figures

settings come from the environment (NEWSQA_SEEDS, NEWSQA_INDEX, NEWSQA_MODEL,
TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL, ...) or a newsqa.toml file; see README.md.
"""


def _version() -> str:
    try:
        from importlib.metadata import version  # noqa: PLC0415

        return version("newsqa")
    except Exception:
        return "unknown"


_VISUAL_HELP = (
    "write Arabic in visual order, for terminals that do not reorder right-to-left text "
    "(xterm, VS Code's terminal, Windows Terminal, PuTTY; see README)"
)


def _command(sub, name: str, common: argparse.ArgumentParser, summary: str) -> argparse.ArgumentParser:
    """A subcommand whose --help starts with its one-line description."""
    return sub.add_parser(name, parents=[common], help=summary, description=summary[0].upper() + summary[1:] + ".")


def _add_ask(sub, common: argparse.ArgumentParser) -> None:
    """``newsqa ask``: one question, as text or JSON."""
    p = _command(sub, "ask", common, "answer one question")
    p.add_argument("question", help="the question, in Arabic or another language")
    p.add_argument(
        "-k", type=whole_number(1, MAX_K), default=None, metavar="N",
        help=f"how many passages, 1 to {MAX_K} (default 5; for «ماذا قال X؟»: all of X's statements)",
    )
    p.add_argument(
        "--offset", type=whole_number(0), default=0, metavar="N",
        help="skip the first N results (the next page: --offset 5 after -k 5)",
    )
    p.add_argument(
        "--json", action="store_true",
        help="print the answer as JSON: the question as understood, the person, the total and the hits",
    )
    p.add_argument(
        "--json-list", action="store_true",
        help="print only the list of hits, as JSON (the form before 0.2; will be removed)",
    )
    p.add_argument("--visual", action="store_true", help=_VISUAL_HELP)


def _add_model(sub, common) -> None:
    p = _command(sub, "model", common, "the model and the embedding paths this machine uses, and why")
    p.add_argument("--calibrate", action="store_true",
                   help="time every embedding path on this CPU again and keep the fastest that passes the quality gate")
    p.add_argument("--json", action="store_true", help="print it as JSON")


def _add_index(sub, common: argparse.ArgumentParser) -> None:
    """``newsqa index``: bring the index up to date, here or on a Ray cluster."""
    p = _command(sub, "index", common, "index the seeds (only what changed)")
    p.add_argument("--full", action="store_true", help="rebuild everything from scratch")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--ray", metavar="ADDRESS", dest="ray_address",
        help="embed on the workers of a running Ray cluster: HOST:PORT, ray://HOST:PORT, or auto "
        "for RAY_ADDRESS (NEWSQA_RAY_ADDRESS; needs the ray extra, see docs/scale.md)",
    )


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument("--seeds", type=Path, help="folder of articles (NEWSQA_SEEDS, ./seeds)")
    common.add_argument("--index", type=Path, help="index folder (NEWSQA_INDEX, ./index)")
    common.add_argument(
        "--model", help="sentence-transformers model name or folder (NEWSQA_MODEL; "
        "default: the bundled multilingual-e5-small)"
    )
    common.add_argument("--config", type=Path, help="a newsqa.toml settings file (NEWSQA_CONFIG)")
    common.add_argument("-v", "--verbose", action="store_true", help="more logging")
    common.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")

    parser = Parser(
        prog="newsqa",
        description="Ask questions about Arabic news articles and get the passages "
        "that answer them, with their sources.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsqa {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    _add_index(sub, common)
    _add_ask(sub, common)

    p = _command(sub, "speakers", common, "who is quoted in the index, most first")
    p.add_argument("-n", type=whole_number(0), default=30, metavar="N", help="how many of each kind (default 30; 0: all)")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.add_argument(
        "--kind", choices=("all", "people", "organisations"), default="all",
        help="people, organisations and outlets (a section of their own), or both (default)",
    )
    p.add_argument("--lang", choices=("ar", "en"), default="ar", help="the language of headings and counts (default ar)")

    p = _command(sub, "chat", common, "an interactive question session")
    p.add_argument("-k", type=whole_number(1, MAX_K), default=5, metavar="N", help=f"passages per answer, 1 to {MAX_K} (default 5)")
    p.add_argument("--visual", action="store_true", help=_VISUAL_HELP)

    p = _command(sub, "bot", common, "run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    p.add_argument("--no-watch", action="store_true", help="do not re-index when seeds change")

    p = _command(sub, "eval", common, "measure retrieval on SQuAD-format QA sets")
    p.add_argument(
        "datasets", nargs="*", type=Path,
        help="SQuAD-format JSON files (default: ARCD and TyDi QA Arabic from ../shared/data/qa)",
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument(
        "--ablation", action="store_true",
        help="also measure each stage alone: dense, lexical, fused, final (slower)",
    )

    _add_model(sub, common)

    p = _command(sub, "watch", common, "re-index whenever the seeds change")
    p.add_argument(
        "--debounce", type=seconds_between(0.1, 3600), default=1.0, metavar="SECONDS",
        help="seconds of quiet before re-indexing, 0.1 to 3600 (default 1)",
    )
    return parser


#: Services that run for days log with timestamps; one-shot commands stay terse.
_SERVICES = ("bot", "watch")


def _setup_logging(verbose: bool, quiet: bool, *, timestamps: bool = False) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s" if timestamps else "%(levelname)s %(message)s"
    logging.basicConfig(level=logging.WARNING, format=fmt, stream=sys.stderr)
    for name in ("newsqa", "retrieval", "bot"):
        logging.getLogger(name).setLevel(level)
    for noisy in ("httpx", "sentence_transformers", "transformers", "faiss"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _settings(args) -> Settings:
    settings = load_settings(config_file=args.config)
    return settings.with_overrides(seeds=args.seeds, index=args.index, model=args.model)


def _open_service(settings: Settings):
    """The service for a console command, with a progress bar and a summary of any build."""
    from bot.progress import progress_bar  # noqa: PLC0415
    from retrieval.service import open_service  # noqa: PLC0415 (torch is slow to import)

    with progress_bar() as on_progress:
        service = open_service(settings, on_progress=on_progress)
    if service.build_report is not None:  # the index had to be built first
        print(service.build_report.summary(), file=sys.stderr)
    return service


def cmd_index(args, settings: Settings) -> int:
    from bot.progress import progress_bar  # noqa: PLC0415
    from retrieval.index.indexer import update_index  # noqa: PLC0415
    from retrieval.model.backends import rates_line  # noqa: PLC0415
    from retrieval.model.embedding import embedder_from_settings  # noqa: PLC0415

    embedder = embedder_from_settings(settings)
    address = args.ray_address or settings.ray_address
    backend = None
    if address:
        from retrieval.model.ray_backend import RayBackend  # noqa: PLC0415

        backend = RayBackend.connect(address, embedder)
    postfix = (lambda: rates_line(backend.loads())) if backend is not None else None
    try:
        with progress_bar(None if not args.no_progress else False, postfix=postfix) as on_progress:
            report = update_index(
                settings.seeds,
                settings.index,
                embedder,
                full=args.full,
                on_progress=on_progress,
                follow_links=settings.follow_links,
                backend=backend,
            )
    finally:
        if backend is not None:
            backend.close()
    print(report.summary())
    return 0


def cmd_ask(args, settings: Settings) -> int:
    from bot.console import render_json, render_json_list, render_text  # noqa: PLC0415
    from retrieval.query import understand  # noqa: PLC0415

    question = understand(args.question)  # fail before loading the model
    service = _open_service(settings)
    answer = service.answer(question, k=args.k, offset=args.offset)
    if args.json:
        print(render_json(answer, question))
    elif args.json_list:
        print(render_json_list(answer))
    else:
        print(_visual(render_text(answer), args.visual))
    return 0 if answer.found else 1


def _visual(value: str, on: bool) -> str:
    """``value`` in visual order when asked (``--visual``)."""
    if not on:
        return value
    import shutil  # noqa: PLC0415

    from bot.visual import visual  # noqa: PLC0415

    return visual(value, shutil.get_terminal_size().columns if sys.stdout.isatty() else None)


def cmd_speakers(args, settings: Settings) -> int:
    import json  # noqa: PLC0415

    from bot.console import render_people  # noqa: PLC0415

    service = _open_service(settings)
    people = service.people() if args.kind in ("all", "people") else []
    organisations = service.organisations() if args.kind in ("all", "organisations") else []
    shown = people[: args.n] if args.n else people
    outlets = organisations[: args.n] if args.n else organisations
    if args.json:
        print(json.dumps([
            {"name": p.name, "names": list(p.names), "statements": p.statements, "articles": p.articles, "kind": kind}
            for kind, listed in (("person", shown), ("organisation", outlets)) for p in listed
        ], ensure_ascii=False, indent=2))
    else:
        print(render_people(shown, len(people), args.lang, outlets, len(organisations)))
    return 0


def cmd_chat(args, settings: Settings) -> int:
    from bot.chat import chat  # noqa: PLC0415

    service = _open_service(settings)  # no warm-up: 1-2 ms a question do not matter here,
    # and loading the whole tokenizer holds the interpreter for a second
    chat(
        lambda query: service.answer(query.question, k=query.k, offset=query.offset, exclude=query.exclude),
        k=args.k, is_person=service.is_quoted, visual=args.visual,
    )
    return 0


def cmd_bot(args, settings: Settings) -> int:
    from bot.telegram import load_telegram_settings, run_bot  # noqa: PLC0415

    telegram = load_telegram_settings(config_file=args.config)
    telegram.require_token()  # fail at once, before loading anything
    run_bot(settings, telegram, watch=not args.no_watch)
    return 0


def cmd_watch(args, settings: Settings) -> int:
    from retrieval.watch import SeedWatcher  # noqa: PLC0415

    service = _open_service(settings)
    print(f"watching {settings.seeds} (Ctrl-C to stop)", file=sys.stderr)
    watcher = SeedWatcher(service, debounce=args.debounce).start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
    return 0


DEFAULT_EVAL_SETS = ("arcd.json", "tydiqa-goldp-dev-arabic.json")


def cmd_eval(args, settings: Settings) -> int:
    import json  # noqa: PLC0415

    from retrieval.evaluation import ABLATION_HEADER, TABLE_HEADER, evaluate  # noqa: PLC0415
    from retrieval.model.embedding import embedder_from_settings  # noqa: PLC0415

    datasets = args.datasets or [
        p for name in DEFAULT_EVAL_SETS if (p := Path("..", "shared", "data", "qa", name)).exists()
    ]
    if not datasets:
        raise NewsqaError("name one or more SQuAD-format QA files: newsqa eval FILE.json")
    logging.getLogger("retrieval").setLevel(logging.WARNING)
    embedder = embedder_from_settings(settings)
    reports = []
    if not args.json:
        print(f"model {embedder.name}; margin {settings.margin}, min score {settings.min_score}")
        print(TABLE_HEADER)
    for path in datasets:
        report = evaluate(
            path, embedder, margin=settings.margin, min_score=settings.min_score,
            ablation=args.ablation,
        )
        reports.append(report)
        if not args.json:
            print(report.table_row(), flush=True)
            if args.ablation:
                print(ABLATION_HEADER)
                print("\n".join(report.ablation_rows()), flush=True)
    if args.json:
        print(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
    return 0


COMMANDS = {
    "eval": cmd_eval,
    "index": cmd_index,
    "ask": cmd_ask,
    "chat": cmd_chat,
    "bot": cmd_bot,
    "watch": cmd_watch,
    "speakers": cmd_speakers,
    "model": lambda args, settings: _model_command()(args, settings),
}


def _model_command():
    from bot.model_info import cmd_model  # noqa: PLC0415 (torch and the runtimes are slow to import)

    return cmd_model


def main(argv: list[str] | None = None) -> int:
    """Run the `newsqa` command; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = build_parser().parse_args(argv)
    _setup_logging(args.verbose, args.quiet, timestamps=args.command in _SERVICES)
    try:
        settings = _settings(args)
        return COMMANDS[args.command](args, settings)
    except NewsqaError as exc:
        print(f"newsqa: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # `newsqa ask … | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
