"""`__in` on an integer column leaves out numbers the column cannot hold.

Django's own exact, lt and gt lookups already treat such a number as matching no row; its
`in` lookup sends it to the database, where SQLite fails with OverflowError (a 500 on any
form that checks posted ids with `pk__in`, such as a many-to-many field in the admin).
Registered for every IntegerField (ids included) by `config.apps`."""

from django.db.models.lookups import In


class IntegerIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                v
                for v in self.rhs
                if not isinstance(v, int)
                or ((low is None or v >= low) and (high is None or v <= high))
            ]
        return super().process_rhs(compiler, connection)
