"""bench.map_breakdown reads a visit's timeline from what the page recorded: the deck message,
the run's end and the lazily loaded chart code are found among the ForwardMsgs and resources."""

from __future__ import annotations

import base64

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.map_breakdown import phases


def _msg(fill) -> str:
    fwd = ForwardMsg()
    fill(fwd)
    return base64.b64encode(fwd.SerializeToString()).decode()


def _deck(f):
    f.delta.new_element.deck_gl_json_chart.json = '{"layers": []}'


def _finished(f):
    f.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY


def _text(f):
    f.delta.new_element.markdown.body = "hello"


def test_phases_of_a_recorded_visit():
    raw = {
        "drawn": 900.0,
        "canvas": 700.0,
        "html": 10.0,
        "dcl": 50.0,
        "wsCreated": 300.0,
        "wsOpen": 320.0,
        "sends": [330.0, 2000.0],
        "parse": [[650.0, 660.0, 200_000]],
        "long": [[100.0, 80.0], [600.0, 120.0], [950.0, 60.0]],
        "msgs": [[400.0, 10, _msg(_text)], [500.0, 1234, _msg(_deck)], [800.0, 5, _msg(_finished)]],
        "resources": [
            ["http://x/static/js/index.js", 20.0, 250.0, 0, 1000],
            ["http://x/static/js/DeckGlJsonChart.abc.js", 520.0, 640.0, 0, 3000],
        ],
    }
    p = phases(raw)
    assert p["deck_msg"] == 500.0 and p["deck_bytes"] == 1234
    assert p["script_finished"] == 800.0 and p["runs_before_drawn"] == 1
    assert p["reruns_sent"] == 1  # the send at 2,000 ms came after the map was drawn
    assert p["static_done"] == 250.0 and p["static_bytes"] == 1000  # the chunk came later
    assert (p["chunk_start"], p["chunk_done"]) == (520.0, 640.0)
    assert p["parse_ms"] == 10.0 and p["parse_done"] == 660.0
    assert p["long_ms_deck_to_drawn"] == 120.0  # only the task between deck and drawn
    assert p["msg_bytes"] == 10 + 1234 + 5


def test_browser_cpu_per_process_kind_between_two_readings():
    """A renderer started during the visit counts from zero; one that ended is left out."""
    from bench.map_breakdown import cpu_spent

    before = {1: ("gpu-process", 1.0), 2: ("renderer", 0.5), 4: ("browser", 2.0)}
    after = {1: ("gpu-process", 1.8), 3: ("renderer", 0.3), 4: ("browser", 2.25)}
    spent = cpu_spent(before, after)
    assert spent == {"gpu-process": 0.8, "renderer": 0.3, "browser": 0.25}
