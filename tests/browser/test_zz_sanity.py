import pytest

pytestmark = pytest.mark.browser


def test_axe_finds_things(forums, page, axe):
    from tests.browser.conftest import AXE_OPTIONS

    page.goto("/")
    page.evaluate("""() => { const p = document.createElement('p'); p.textContent='grå tekst'; p.style.color='#bbb'; document.querySelector('main').append(p);
      const i = document.createElement('img'); i.src='/static/x.png'; document.querySelector('main').append(i);}""")
    r = axe.run(page, options=AXE_OPTIONS)
    print(r.generate_snapshot())
    assert r.violations_count == 2
