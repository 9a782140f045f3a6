"""The end of every "unknown name" message: the closest known name and the names that exist."""

from __future__ import annotations

from actito_iac.suggest import LONGEST, SHOWN, closest, known_names, quoted


def test_a_misspelt_name_gets_the_closest_one_and_the_list() -> None:
    text = known_names("shiping", ["welcome", "shipping"], "scenarios")
    assert text == "; did you mean 'shipping'? (scenarios: shipping, welcome)"


def test_a_name_far_from_all_gets_only_the_list() -> None:
    assert known_names("zzz", ["welcome"], "scenarios") == " (scenarios: welcome)"


def test_no_name_at_all_says_so() -> None:
    assert known_names("x", [], "events") == " (there are no events)"


def test_letter_case_is_the_first_guess() -> None:
    assert closest("customers", ["Customers", "Custom"]) == "Customers"


def test_a_long_list_is_cut_and_says_how_many_more() -> None:
    names = [f"t{i:03}" for i in range(SHOWN + 5)]
    text = known_names("nothing", names, "tables")
    assert text.endswith(", … (5 more))")
    assert text.count(", ") == SHOWN  # SHOWN names, then the note


def test_a_huge_name_is_cut_so_the_message_stays_readable() -> None:
    huge = "x" * 10_000
    assert len(quoted(huge)) == LONGEST + 2
    assert quoted(huge).endswith("…'")
    assert len(known_names(huge, [huge + "y"], "attributes")) < 3 * LONGEST
