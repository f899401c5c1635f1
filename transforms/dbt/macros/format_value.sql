{# A claim's figure as a reader writes it, by unit: fractions as percent, dollars with separators. #}
{% macro format_value(value, unit) -%}
case {{ unit }}
    when 'fraction' then printf('%+.2f%%', 100 * {{ value }})
    when 'usd' then case when abs({{ value }}) >= 1e9 then printf('$%.2fbn', {{ value }} / 1e9)
                         else printf('$%,.2f', {{ value }}) end
    when 'pct' then printf('%.3f%%', {{ value }})
    when 'bp' then printf('%+.1fbp', {{ value }})
    when 'btc' then printf('%,.0f BTC', {{ value }})
    when 'ratio' then printf('%.2fx', {{ value }})
    else printf('%g', {{ value }})
end
{%- endmacro %}
