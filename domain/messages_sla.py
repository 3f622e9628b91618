"""What the SLA says at start-up about the working calendar, in English and Chinese. Merged into
domain/i18n.py's MESSAGES."""

SLA_MESSAGES: dict[str, dict[str, str]] = {
    "calendar.year_missing": {
        "en": "working_time: no public holiday data for {year} (country {country}): deadlines in working time "
              "would count its holidays as working days. List that year's holidays and make-up working days "
              "under working_time.years.{year} with complete: true until the holiday package is updated.",
        "zh": "工作时间：没有 {year} 年的法定节假日数据（国家 {country}），按工作时间计算的期限会把节假日算作工作日。"
              "在节假日软件包更新之前，请在 working_time.years.{year} 下列出当年的节假日和调休上班日，并设 complete: true。"},
    "calendar.year_partial": {
        "en": "working_time: {year} is listed only in part (working_time.years.{year}: {listed} holiday(s)); "
              "add the State Council's bridging days and make-up working days for {year} (country {country}) "
              "and set complete: true.",
        "zh": "工作时间：{year} 年的节假日只列出了一部分（working_time.years.{year}：{listed} 天）；"
              "请补充国务院公布的 {year} 年调休放假日和调休上班日（国家 {country}），并设 complete: true。"},
}
