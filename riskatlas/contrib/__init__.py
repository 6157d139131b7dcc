"""Contributed evidence: uploads and a form, a maintainer's review, and a layer of their own.

Contributions live in their own DuckDB file (:func:`riskatlas.paths.contributions_db_path`,
``$RISKATLAS_CONTRIBUTIONS_DB`` else ``data/contributions.duckdb``) that a build never touches.
They are never mixed into the published sources' tables or counts: the app shows approved ones
as a separate, labelled layer (:func:`riskatlas.contrib.layer.contributions_layer`) and as
labelled facts on a site's page (:func:`contribution_facts`).

Entry points for the app and exports:

- :func:`approved_contributions` (db_path=None) -> DataFrame of approved contributions.
- :func:`contribution_facts` (site_id, db_path=None) -> approved contributions about one site.
- :func:`riskatlas.contrib.intake.submit_file` / :func:`~riskatlas.contrib.intake.submit_form`.
- :func:`riskatlas.contrib.export.for_export` before writing contributed rows to CSV/XLSX.
"""

from riskatlas.contrib.approved import approved_contributions, contribution_facts

__all__ = ["approved_contributions", "contribution_facts"]
