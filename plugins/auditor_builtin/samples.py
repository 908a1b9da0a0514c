"""Reports the built-in rules' catalogue examples are built on (``auditor.rules.Example``)."""

# two requests from natural persons, both granted: every table adds up (the examples' sound report)
TWO_GRANTED = {
    "requests.new.natural_person": 2,
    "requests.new.total": 2,
    "requests.granted.natural_person": 2,
    "requests.granted.total": 2,
    "requests.total.natural_person": 2,
    "requests.total.total": 2,
}

# a report whose 表三 ran together in crawled text (the flattened examples)
REPORT_HEAD = (
    "# 测试局2024年政府信息公开工作年度报告\n\n## 一、总体情况\n\n2024年，测试局坚持以公开为常态、不公开为例外，"
    "全面推进政务公开工作，切实保障人民群众的知情权、参与权和监督权。\n\n"
    "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
)
REPORT_REST = "二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开0000000\n"
