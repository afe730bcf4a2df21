from iomcms.filters import FastSelect


def test_fast_select_marks_selected_escapes_and_keeps_attributes():
    widget = FastSelect(choices=[("", "Any"), ("a&b", "A <&> B"), ("c", "C")])
    html = widget.render("kind", "a&b", attrs={"id": "id_kind"})
    assert html == (
        '<select name="kind" id="id_kind"><option value="">Any</option>'
        '<option value="a&amp;b" selected>A &lt;&amp;&gt; B</option>'
        '<option value="c">C</option></select>'
    )


def test_fast_select_with_no_value_selects_nothing():
    html = FastSelect(choices=[("x", "X")]).render("f", None)
    assert "selected" not in html


def test_country_filter_keeps_the_chosen_country_selected(client, db):
    response = client.get("/news/?country=CO")
    assert '<option value="CO" selected>Colombia</option>' in response.text
    import re

    chosen = re.findall(r'<option value="([^"]+)" selected>', response.text)
    assert chosen == ["CO"]  # the other dropdowns sit on their empty "Any ..." option
