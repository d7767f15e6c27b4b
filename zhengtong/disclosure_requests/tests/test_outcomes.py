from zhengtong.casework.kinds import get_kind
from zhengtong.disclosure_requests import outcomes


def test_outcomes_are_the_rows_of_table_three():
    # 国办公开办函〔2021〕30号 table 三 (三): 予以公开, 部分公开, 不予公开 ×8, 无法提供 ×3, 不予处理 ×5, 其他处理 ×3.
    groups = [o.group for o in outcomes.OUTCOMES]
    assert [groups.count(g) for g in outcomes.GROUPS] == [1, 1, 8, 3, 5, 3]
    assert len(outcomes.BY_CODE) == len(outcomes.OUTCOMES) == 21
    assert outcomes.get_outcome(outcomes.WITHDRAWN).label == "3.其他"
    assert dict(outcomes.choices())["refuse.secret"] == "（三）不予公开 · 1.属于国家秘密"


def test_disclosure_is_a_case_kind_with_the_statutory_limit():
    kind = get_kind("disclosure")
    assert kind.limit_for("apply") == 20  # 政府信息公开条例 第33条
    assert kind.reopen_limit == 0
