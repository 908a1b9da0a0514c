"""The template's arithmetic as data (``[[relations]]``): declared once, read by the rules, the
flattened recovery, the test generator and the catalogue (issue 11, item 2)."""

from __future__ import annotations

import random

import pytest

from auditor.relations import Relation
from auditor.template import load_template
from auditor.testing import random_values


@pytest.mark.parametrize("generation", ["2021", "2019"])
def test_every_equation_names_cells_of_its_generation(generation):
    template = load_template(generation)
    assert list(template.relations) == [Relation.BALANCE, Relation.ROW_TOTAL, Relation.OUTCOME_TOTAL, Relation.APPEAL_TOTAL]
    for name in template.relations:
        for equation in template.instances(name):
            assert equation.left and equation.right
            assert all(k in template.cells for k in equation.keys), equation


def test_the_outcome_rows_follow_the_generation():
    """2021: 21 outcome rows; the 2019 试行 template prints （六）其他处理 as one row: 19."""
    assert len(load_template("2021").instance_of(Relation.OUTCOME_TOTAL, "natural_person").right) == 21
    in_2019 = load_template("2019").instance_of(Relation.OUTCOME_TOTAL, "natural_person").right
    assert len(in_2019) == 19 and "requests.other_handling.natural_person" in in_2019


def test_balance_is_the_printed_gouji_relation():
    equation = load_template().instance_of(Relation.BALANCE, "total")
    assert equation.id == "requests.balance:total"
    assert equation.left == ("requests.new.total", "requests.carried_over.total")
    assert equation.right == ("requests.total.total", "requests.carried_forward.total")
    values = {"requests.new.total": 5, "requests.carried_over.total": 1, "requests.total.total": 4,
              "requests.carried_forward.total": 2}
    assert equation.holds(values) is True
    assert equation.holds({**values, "requests.total.total": 5}) is False
    assert equation.holds({**values, "requests.total.total": None}) is None


def test_a_total_is_the_sum_of_its_first_relation():
    template = load_template()
    assert template.parts_of("requests.total.total") == template.instance_of(Relation.ROW_TOTAL, "total").right
    assert len(template.parts_of("requests.total.natural_person")) == 21
    assert template.parts_of("review.total") == ("review.upheld", "review.corrected", "review.other", "review.pending")
    assert template.parts_of("requests.new.natural_person") == ()


def test_a_wrong_declaration_is_refused_and_a_missing_relation_named():
    with pytest.raises(ValueError, match="per = 'cell'"):
        Relation("x", "", "cell", ("a.{cell}",), ("b.{cell}",))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lacks {row}"):
        Relation("x", "", "row", ("requests.{row}.total",), ("requests.new.total",))
    with pytest.raises(KeyError, match="template pre2019 has no relation"):
        load_template("pre2019").relation(Relation.BALANCE)


def test_the_generator_holds_every_relation():
    template = load_template()
    for seed in range(50):
        values = random_values(random.Random(seed))
        assert all(e.holds(values) for name in template.relations for e in template.instances(name))
