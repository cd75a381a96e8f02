# C types for linebreak.py where setup.py compiles it (corresp/compiled.py): the .py stays
# plain Python and runs as it is without Cython. Numbers typed here compute as Python's do:
# doubles round alike (setup.py's flags), and indices stay far below a C integer's range.
cimport cython

# Only this module reads these (textblock imports the others from here: they stay Python's)
cdef double EPS, OVER, OVER_BADNESS


@cython.locals(n=Py_ssize_t, widths=tuple, flags=tuple, nbs=tuple, end=list, start=list, spaces=list, nbsp=list,
               glyphs=list, widest=double, ties=bint, heads_of=dict, heads_at=list, best=dict, heap=list,
               final_dem=double, shrink=double, line_penalty=double, good_badness=double, hyphen_demerits=double,
               double_hyphen_demerits=double, node=tuple, dem0=double, hyph0=bint, head_w=double, j=Py_ssize_t,
               hlen=Py_ssize_t, x0=double, avail=double, limit=double, e0=Py_ssize_t, e=Py_ssize_t, cands=list,
               best_badness=double, sj=Py_ssize_t, nj0=Py_ssize_t, forward=bint, slack=double, gaps=Py_ssize_t,
               r=double, badness=double, t=Py_ssize_t, gaps_to=Py_ssize_t, gaps_before=Py_ssize_t, hl=Py_ssize_t,
               hw=double, adds=bint, hnb=Py_ssize_t, nj=Py_ssize_t, nh=Py_ssize_t, nhw=double, dem=double, key=tuple,
               old=tuple, path=list, prev=tuple, pj=Py_ssize_t, ph=Py_ssize_t, out=list, lines=list,
               line_start=Py_ssize_t, pos=Py_ssize_t, natural=double)
cpdef total_fit(tokens, double first_avail, double rest_avail, str font, size, double space_w, double hyphen_w,
                hyphenator, bint last_may_hyphenate=*, double max_stretch=*, double tracking=*, bint capitalised=*,
                double overflow=*)

cdef Py_ssize_t _nbsp_from(tokens, list nbsp, Py_ssize_t j, Py_ssize_t hl) except? -1

@cython.locals(flex=double, extra=double)
cdef object _ratio(double slack, Py_ssize_t gaps, Py_ssize_t nglyphs, double max_stretch, double shrink,
                   double tracking, double overflow)

cpdef double _badness(double r) except? -1.0
