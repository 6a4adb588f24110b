"""The Chinese lunar date (农历) of a day, for the masthead's date line.

Computed, never typed: through ``lunar-python`` (MIT; its tables follow the Purple
Mountain Observatory's calendar, 1900–2100), which agreed with the published calendar on
every date we checked (tests/test_masthead.py: new years, leap months, 腊月 and 冬月).
The year is named by its sexagenary cycle (干支, e.g. 甲辰年), the month by its Chinese
name (正月 … 冬月、腊月, 闰 for a leap month), the day as 初一 … 三十.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

#: Days the tables cover: lunar-python's range, less a year at each end to be safe.
FIRST_DAY = dt.date(1901, 2, 19)
LAST_DAY = dt.date(2099, 12, 31)


class LunarDate(NamedTuple):
    year: str  # 甲辰
    month: str  # 正, 闰二, 冬, 腊
    day: str  # 初一, 廿九

    def text(self) -> str:
        """``甲辰年正月初一``."""
        return f"{self.year}年{self.month}月{self.day}"


def lunar_date(day: dt.date) -> LunarDate | None:
    """The lunar date of ``day``; None outside the covered years."""
    if not FIRST_DAY <= day <= LAST_DAY:
        return None
    from lunar_python import Solar  # a 7 ms import, only for a page with a masthead date

    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    return LunarDate(lunar.getYearInGanZhi(), lunar.getMonthInChinese(), lunar.getDayInChinese())
