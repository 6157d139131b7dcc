"""Import a brand's own smelter disclosure (SEC HTML, PDF report, RMI template, CSV) as links."""

from riskatlas.importer.model import OUT_COLUMNS, ImportResult, ReportError
from riskatlas.importer.report import import_report

__all__ = ["OUT_COLUMNS", "ImportResult", "ReportError", "import_report"]
