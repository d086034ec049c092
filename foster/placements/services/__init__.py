"""The only way to change placements and targets, and the report behind every view.

Public functions: ``save_placement``, ``import_rows``/``import_file``, ``build_report``,
``set_target``, ``adopt_target``, ``check_targets``. Statistics live in ``stats.py``, the
one path from placements to figures in ``report.py``.

Sections: ``import_format`` (columns, template, reading a file), ``importing`` (checking and
saving a file's rows), ``placements`` (one placement), ``targets``.
"""

from ..report import (  # noqa: F401 - re-exported for the callers of services
    _AGES,
    _CODES,
    _EPOCH,
    _TYPES,
    HORIZONS,
    MIN_AT_RISK,
    MIN_DAYS,
    PROCESS_FIELDS,
    Frame,
    Outcomes,
    _day,
    analyse,
    analyse_outcomes,
    build_report,
    cohort_result,
    grouped_outcomes,
    horizon,
    load_frame,
    load_grouped_frame,
    outcomes,
    report_json,
    target_block,
    target_for,
)
from .import_format import (  # noqa: F401
    _DATE_LIKE,
    _NO,
    _YES,
    BASE_COLUMNS,
    COLUMNS,
    EXAMPLE_PREFIX,
    FIELDS,
    PROCESS_COLUMNS,
    REASON_ALIASES,
    REF_PATTERN,
    REQUIRED,
    SCHEDULE_ALIASES,
    TYPE_ALIASES,
    ImportFormatError,
    ImportResult,
    RowError,
    _parse_date,
    check_ref,
    is_example,
    read_table,
    template_csv,
    template_xlsx,
)
from .importing import _municipalities, _upsert, _validate_row, import_file, import_rows  # noqa: F401
from .placements import save_placement, validate_placement  # noqa: F401
from .targets import adopt_target, check_targets, quarter_of, set_target, target_status_now  # noqa: F401
