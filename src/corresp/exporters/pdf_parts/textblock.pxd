# C types for textblock.py where setup.py compiles it (corresp/compiled.py): the .py stays
# plain Python and runs as it is without Cython. Numbers typed here compute as Python's do:
# doubles round alike (setup.py's flags), and indices stay far below a C integer's range.
cimport cython

# Imported constants, read as C doubles (this module's only)
cdef double EPS, MAX_STRETCH, MAX_SHRINK


@cython.locals(lines=list, cache=dict, ones_of=dict, space_w=double, tokens=list, plain=bint, rtl=bint, out=list,
               cur_tw=double, cur_tc=double, is_open=bint, y=double, leading=double, justify=bint, offsets=bint,
               last_index=Py_ssize_t, measure=double, buf=list, marked=list, opens=bint, closes=bint, left=double,
               indent=double, x_was=double, li=Py_ssize_t, a=Py_ssize_t, b=Py_ssize_t, natural=double,
               gaps=Py_ssize_t, first=bint, x=double, last=bint, tw=double, tc=double, slack=double,
               glyphs=Py_ssize_t, limit=double, ones=dict, i=Py_ssize_t, tok=tuple, w=double)
cdef _paint(para, canv, double x0, double y0)

cdef bint _tj(bint is_open, list out, list buf, tagger, elem, canv) except -1

cdef tuple _show(enc, cur_font, bint is_open, list out, list buf, str fs, tagger, elem, canv)

@cython.locals(k=Py_ssize_t)
cdef bint _none_within(list sorted_ints, Py_ssize_t a, Py_ssize_t b) except -1
