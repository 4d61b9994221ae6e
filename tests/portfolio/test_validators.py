import pytest
from django.core.exceptions import ValidationError

from portfolio.models import Organisation
from portfolio.validators import validate_business_id


@pytest.mark.parametrize("value", ["2252888-5", "0828308-4", "2077474-0", "0170262-9"])
def test_valid_business_ids_pass(value):
    validate_business_id(value)


@pytest.mark.parametrize(
    "value", ["22528885", "2252888 5", "252888-5", "22528888-5", "2252888-", "abcdefg-h", "2252888–5"]
)
def test_other_forms_are_rejected_with_the_expected_form(value):
    with pytest.raises(ValidationError) as exc:
        validate_business_id(value)
    assert exc.value.code == "business_id_format"
    assert "2252888-5" in exc.value.messages[0]


def test_wrong_check_digit_is_named():
    with pytest.raises(ValidationError) as exc:
        validate_business_id("2252888-6")
    assert exc.value.code == "business_id_checksum"
    assert "check digit" in exc.value.messages[0]


def test_remainder_one_has_no_valid_check_digit():
    # 1000001: 7*1 + 2*1 = 9; try a number whose weighted sum mod 11 is 1.
    digits = next(
        f"{n:07d}"
        for n in range(1000000, 1001000)
        if sum(int(d) * w for d, w in zip(f"{n:07d}", (7, 9, 10, 5, 8, 4, 2))) % 11 == 1
    )
    for check in range(10):
        with pytest.raises(ValidationError):
            validate_business_id(f"{digits}-{check}")


@pytest.mark.django_db
def test_model_strips_spaces_and_stores_the_canonical_form():
    org = Organisation(name="Tampereen Testi Oy", business_id="  2252888-5 ")
    org.full_clean()
    org.save()
    org.refresh_from_db()
    assert org.business_id == "2252888-5"


@pytest.mark.django_db
def test_model_save_without_full_clean_still_strips():
    org = Organisation.objects.create(name="Välilyönti Oy", business_id=" 0828308-4 ")
    org.refresh_from_db()
    assert org.business_id == "0828308-4"


@pytest.mark.django_db
def test_model_validation_names_the_field():
    org = Organisation(name="Väärä Oy", business_id="2252888-6")
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "check digit" in exc.value.message_dict["business_id"][0]


@pytest.mark.django_db
def test_empty_business_id_is_allowed_many_times():
    Organisation.objects.create(name="A ry", business_id="")
    Organisation.objects.create(name="B ry", business_id="")
    assert Organisation.objects.filter(business_id="").count() == 2
