"""The project's one way to write a date (LANGUAGE_CODE en-gb; FORMAT_MODULE_PATH points
here, and config/settings.py sets the same values). Every date shown says its zone (`T`:
UTC, GMT, BST, EST…; the zone is the user's, `accounts.middleware.TimeZoneMiddleware`),
in 24-hour time: student pages, the admin's lists and read-only fields, messages
(`lessons.dates.show`). CSV files write ISO 8601 instead (`reports.tables`).

The admin's inputs read and show dates the British way, day first, 24-hour:
25/12/2026 14:30 (ISO 8601, 2026-12-25 14:30 or 2026-12-25T14:30, is accepted too)."""

DATE_FORMAT = "j M Y"  # 25 Dec 2026
TIME_FORMAT = "H:i T"  # 14:30 GMT
DATETIME_FORMAT = "j M Y, H:i T"  # 25 Dec 2026, 14:30 GMT
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d.%m.%Y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",  # 25/12/2026 14:30, what the admin's inputs show
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y, %H:%M",
    "%d/%m/%y %H:%M",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
]
