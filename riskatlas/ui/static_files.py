"""Where the Map's large layer data is written and served (riskatlas.deck_static).

Streamlit serves ``<folder of app.py>/static/`` at ``<baseUrlPath>/app/static/`` when
``server.enableStaticServing`` is on (.streamlit/config.toml). Without it, or when that folder
cannot be written (a read-only installation), the data stays inside the deck spec as before:
slower to parse in the browser, never missing.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from riskatlas import deck_static

SUBDIR = "deck"


def deck_target() -> tuple[Path, str] | None:
    """(directory, URL prefix) for the deck's data files, or None when not served."""
    if not st.get_option("server.enableStaticServing"):
        return None
    ctx = get_script_run_ctx()
    main = getattr(ctx, "main_script_path", None) if ctx is not None else None
    if not main:
        return None
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = "/" + (f"{base}/" if base else "") + f"app/static/{SUBDIR}/"
    return Path(main).resolve().parent / "static" / SUBDIR, prefix


def offload_layers(layers: list) -> None:
    """A deck's large layer data moved to served files before the deck is serialised
    (riskatlas.deck_static.offload_layers), when they can be; else the data stays inline."""
    target = deck_target()
    if target is None:
        return
    try:
        deck_static.offload_layers(layers, *target)
        deck_static.prune(target[0])
    except OSError:
        return  # a layer whose file was not written keeps its data inline
