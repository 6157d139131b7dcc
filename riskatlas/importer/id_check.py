"""A printed RMI id checked against what RMI says it is: the same company, the same metal, still listed.

Why: an RMI id is the strongest evidence a disclosure gives, so the importer takes it as
printed, and a wrong one would link the brand to another company's smelter without a word. A
cobalt row "Huayou Cobalt" printed with CID002517 (RMI: O.M. Manufacturing Philippines, tin)
or with CID999999 (no such id) is a finding about the disclosure, not a resolved row. Such a
row keeps the id it printed (``id_as_reported``), gets the reason on the row (``id_problem``),
makes no link and counts as unresolved; the smelter its name points to is shown as its
candidate, never used.

What counts as a contradiction, and why it is tolerant:

- the name: the row's name shares no distinctive word with any name RMI gives or gave the id
  (standard name, aliases, former names in RMI's revision history), compared as the atlas's
  source matcher compares names (riskatlas.match_sources: accents and transliterations folded
  by unidecode, legal forms and generic words such as "smelting" or "gold" removed, word order
  free, a short form inside a long one accepted: "Huayou Cobalt" is "Zhejiang Huayou Cobalt
  Company Limited"). A row without a name, or whose name is only generic words, is not judged;
- the metal: the row or its section names one metal and RMI lists the id under another;
- the list: RMI's current lists lack the id. When RMI's revision log records its removal the
  row says "removed by RMI on DATE (reason)"; an id RMI never listed is "not in RMI's lists".

The lookup is SQL (queries/import_id_check.sql) over the reference the importer already holds
and RMI's revision log (riskatlas.sources.rmi_retired), so it runs with or without an atlas.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from riskatlas import sql
from riskatlas.facility_names import name_score, name_variants

# Names agree from this score up (facility_names.name_score, 0-100). Lower than the matcher's
# own threshold: here a low score accuses a brand's row, so only a clear difference does.
NAMES_AGREE = 70.0
PROBLEM = "id_problem"
SQUASHED_MIN = 6  # letters a name written without spaces must have to count as found in another


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or not str(v).strip()


def names_agree(printed: object, known: list[str]) -> bool | None:
    """Whether a printed name can be one of the names RMI gives an id; None when it cannot be
    judged (no name, only generic words, or RMI gives no name)."""
    if _blank(printed):
        return None
    mine = name_variants(str(printed))
    theirs = [v for n in known if isinstance(n, str) for v in name_variants(n)]
    if not mine or not theirs:
        return None
    if name_score(mine, theirs) >= NAMES_AGREE:
        return True
    # The same head word ("JX Advanced Metals" / "JX Nippon Mining & Metals", a renamed
    # company), or the same letters spaced otherwise ("YunnanTin" / "Yunnan Tin").
    heads = {v.split()[0] for v in theirs}
    squashed = [v.replace(" ", "") for v in theirs]
    for v in mine:
        flat = v.replace(" ", "")
        if v.split()[0] in heads:
            return True
        for t in squashed:
            short, long_ = sorted((flat, t), key=len)
            if len(short) >= SQUASHED_MIN and short in long_:
                return True
    return False


REVISION_COLUMNS = ["smelter_id", "event", "event_date", "details", "name"]


def revisions(reference) -> pd.DataFrame:
    """The reference's revision log (latest event per id), or an empty one: without RMI's log a
    missing id is simply not in RMI's lists."""
    log = getattr(reference, "revisions", None)
    if log is None:
        return pd.DataFrame(columns=REVISION_COLUMNS)
    return log.reindex(columns=REVISION_COLUMNS)


def _id_names(ref: pd.DataFrame, former: dict[str, list[str]]) -> pd.DataFrame:
    pairs = []
    for sid, std, aliases in zip(
        ref["smelter_id"], ref["standard_smelter_name"], ref["aliases"], strict=True
    ):
        pairs.append((sid, std))
        if isinstance(aliases, list | tuple | np.ndarray):
            pairs += [(sid, a) for a in aliases]
    pairs += [(sid, n) for sid, names in former.items() for n in names]
    return pd.DataFrame(pairs, columns=["smelter_id", "name"]).dropna()


def lookup(
    ids: pd.Series, ref: pd.DataFrame, former: dict[str, list[str]], events: pd.DataFrame
) -> pd.DataFrame:
    """What RMI says about each printed id (index = the rows' index), via the named query."""
    con = duckdb.connect(config={"enable_external_access": False})
    try:
        con.register("printed_ids", pd.DataFrame({"row_i": ids.index, "smelter_id": ids.values}))
        cols = ["smelter_id", "standard_smelter_name", "mineral", "metal", "country_raw"]
        rmi = ref.reindex(columns=cols).astype(object)
        con.register("rmi_ids", rmi.drop_duplicates("smelter_id"))
        con.register("rmi_id_names", _id_names(ref, former))
        con.register(
            "rmi_last_events",
            events.reindex(columns=REVISION_COLUMNS),
        )
        return sql.run(con, "import_id_check").set_index("row_i")
    finally:
        con.close()


def problem(row: dict, rmi: dict) -> str | None:
    """The reason a row's printed id cannot stand, in words, or None."""
    sid = rmi["smelter_id"]
    if not rmi["in_reference"]:
        if rmi.get("last_event") == "removed":
            why = rmi.get("last_event_details")
            return (
                f"{sid} was removed by RMI on {rmi['last_event_date']}"
                + (f" ({why})" if isinstance(why, str) and why else "")
                + ": not in RMI's current lists"
            )
        known = [n for n in rmi["rmi_names"] if isinstance(n, str)]
        return f"{sid} is not in RMI's lists (current templates, revision log 2014-2023)" + (
            f" (RMI's earlier lists named it '{known[0]}')" if known else ""
        )
    name_ok = names_agree(row.get("smelter_name"), list(rmi["rmi_names"]))
    row_metal = row.get("metal") if row.get("metal_from") in ("row", "section") else None
    their_metal = rmi.get("rmi_mineral")
    metal_ok = not (
        isinstance(row_metal, str) and isinstance(their_metal, str) and row_metal != their_metal
    )
    if name_ok is not False and metal_ok:
        return None
    listed = f"{sid} is {rmi['rmi_name']} ({rmi.get('rmi_metal') or their_metal}) in RMI's list"
    if name_ok is False and not metal_ok:
        return f"{listed}, not '{row['smelter_name']}' ({row_metal})"
    if name_ok is False:
        return f"{listed}, not '{row['smelter_name']}'"
    return f"{listed}, not {row_metal}"


def check_ids(rows: pd.DataFrame, reference) -> pd.DataFrame:
    """Flag rows resolved by a printed id that RMI contradicts (see the module docstring).

    A flagged row becomes 'unresolved' (no smelter_id, so no link), keeps id_as_reported,
    says why in ``id_problem`` and shows the smelter its name resolves to, if any, as its
    candidate. Without a reference nothing can be checked and nothing is flagged.
    """
    from riskatlas.importer.rmi_match import _match

    df = rows.copy()
    df[PROBLEM] = None
    by_id = df["resolved_by"].eq("id") & df["smelter_id"].notna()
    if reference is None or reference.table.empty or not by_id.any():
        return df  # an empty list (a caller's, or a mirror without RMI's files) checks nothing
    ref = reference.table.reset_index(drop=True)
    former = getattr(reference, "former", None) or {}
    found = lookup(df.loc[by_id, "smelter_id"], ref, former, revisions(reference))
    flagged = {}
    for i, rmi in found.iterrows():
        why = problem(df.loc[i].to_dict(), {**rmi.to_dict(), "smelter_id": rmi["smelter_id"]})
        if why:
            flagged[i] = why
    if not flagged:
        return df
    idx = list(flagged)
    df.loc[idx, PROBLEM] = [flagged[i] for i in idx]
    df.loc[idx, "resolved_by"] = "unresolved"
    df.loc[idx, "smelter_id"] = None
    df.loc[idx, "id_in_reference"] = [bool(found.at[i, "in_reference"]) for i in idx]
    df.loc[idx, "reference_name"] = [found.at[i, "rmi_name"] for i in idx]
    df.loc[idx, "match_basis"] = "RMI id printed in the row, contradicted by RMI: not used"
    # The smelter the row's name comes closest to, shown beside it with its score as for any
    # unresolved row (never used as its id).
    queries = [
        (i, df.at[i, "smelter_name"], df.at[i, "metal"], df.at[i, "country_iso3"])
        for i in idx
        if not _blank(df.at[i, "smelter_name"])
    ]
    for i, mt in _match(queries, ref, former).items():
        df.at[i, "candidate_id"] = ref.at[mt["owner"], "smelter_id"]
        df.at[i, "candidate_name"] = ref.at[mt["owner"], "standard_smelter_name"]
        df.at[i, "match_score"] = round(max(mt["score"], 0.0), 1)
    return df
