"""The dbt docs page's fixes: each rewrites what is broken and nothing that already works."""

from orchestration.commands.dbt_docs import fix_page


def test_the_logo_is_fixed_once_whether_dbt_wrote_src_or_ng_src():
    assert fix_page('<img src="{{ logo }}">') == '<img ng-src="{{ logo }}">'
    assert fix_page('<img ng-src="{{ logo }}">') == '<img ng-src="{{ logo }}">'
    page = fix_page('<img ng-src="{{ logo }}"><img class="x" src="{{ logo }}">')
    assert "ng-ng-src" not in page and page.count('ng-src="{{ logo }}"') == 2
