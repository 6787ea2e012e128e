"""`{% cached key %}…{% endcached %}`: the block's HTML kept in the default cache under
`key` (made by quizzes/cache.py, which says what it carries), rendered only when it is not
there, so what the block reads lazily (the result page's `rows`) is read only then. An
empty key renders the block every time. A failing cache costs the rendering, never the page."""

from django import template

from quizzes.cache import fragment

register = template.Library()


class CachedNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key

    def render(self, context):
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        return fragment(key, lambda: self.nodelist.render(context))


@register.tag("cached")
def do_cached(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% cached %} takes one argument: the cache key.")
    nodelist = parser.parse(("endcached",))
    parser.delete_first_token()
    return CachedNode(nodelist, parser.compile_filter(bits[1]))
