/*
 * format_message.c - FormatMessageA/W: the system message table (system_messages.c) or a
 * caller's template, with Windows' insert and escape sequences, into the caller's buffer
 * or a LocalAlloc'd one.
 *
 * The W form formats in UTF-8 through the same code: its template and string inserts are
 * converted from UTF-16 on the way in and the result back on the way out.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "win32/system_messages.h"
#include "win32/utf16.h"

#define MAX_INSERTS 99

struct out {
    char *p;
    size_t len, cap;
    bool oom;
};

static void fm_put(struct out *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = (o->len + n + 1) * 2;
        char *p = realloc(o->p, cap);

        if (!p) {
            o->oom = true;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

/* How an insert's argument is fetched from a va_list. */
enum arg_kind { ARG_NONE, ARG_INT, ARG_INT64, ARG_PTR };

struct args {
    bool array; /* FORMAT_MESSAGE_ARGUMENT_ARRAY: a DWORD_PTR array */
    bool wide;  /* FormatMessageW: %s inserts are UTF-16 */
    const DWORD_PTR *arr;
    DWORD_PTR val[MAX_INSERTS + 1];
};

/* A printf-style insert format (between the '!'s), parsed. */
struct spec {
    char head[32]; /* flags, width, precision, as given */
    char conv;     /* d i u x X o c s p (S and C for the other width) */
    bool i64;      /* I64 or ll: a 64-bit integer */
    bool other;    /* w/l on s or c, or S/C: the other character width than the function's */
};

static bool parse_spec(const char *f, size_t n, struct spec *sp)
{
    size_t i = 0, h = 0;

    memset(sp, 0, sizeof(*sp));
    while (i < n && strchr("-+ #0123456789.", f[i]) && h + 1 < sizeof(sp->head))
        sp->head[h++] = f[i++];
    for (;;) {
        if (i + 3 <= n && !strncmp(f + i, "I64", 3)) {
            sp->i64 = true;
            i += 3;
        } else if (i + 3 <= n && !strncmp(f + i, "I32", 3)) {
            i += 3;
        } else if (i + 2 <= n && !strncmp(f + i, "ll", 2)) {
            sp->i64 = true;
            i += 2;
        } else if (i < n && f[i] == 'I') {
            sp->i64 = sizeof(void *) == 8;
            i++;
        } else if (i < n && (f[i] == 'l' || f[i] == 'w' || f[i] == 'h')) {
            sp->other = f[i] != 'h' && i + 1 < n && (f[i + 1] == 's' || f[i + 1] == 'c');
            i++;
        } else {
            break;
        }
    }
    if (i + 1 != n || !strchr("diuxXocspSC", f[i]))
        return false;
    sp->conv = f[i];
    if (sp->conv == 'S' || sp->conv == 'C') {
        sp->other = !sp->other;
        sp->conv = (char)(sp->conv == 'S' ? 's' : 'c');
    }
    return true;
}

static enum arg_kind kind_of(const struct spec *sp)
{
    if (sp->conv == 's' || sp->conv == 'p')
        return ARG_PTR;
    return sp->i64 ? ARG_INT64 : ARG_INT;
}

/* Walks a template's inserts: index, and the !format! if any (else "s"). Returns the
 * position after the insert, or NULL when s does not start one. */
static const char *insert_at(const char *s, int *index, const char **fmt, size_t *fmt_len)
{
    int n;

    if (s[0] != '%' || s[1] < '1' || s[1] > '9')
        return NULL;
    n = s[1] - '0';
    s += 2;
    if (*s >= '0' && *s <= '9')
        n = n * 10 + (*s++ - '0');
    *index = n;
    *fmt = "s";
    *fmt_len = 1;
    if (*s == '!') {
        const char *end = strchr(s + 1, '!');

        if (end) {
            *fmt = s + 1;
            *fmt_len = (size_t)(end - s - 1);
            s = end + 1;
        }
    }
    return s;
}

/* Reads the va_list into val[] in index order, each as its first use says. */
static void fetch_va(struct args *a, const char *tmpl, va_list *va)
{
    enum arg_kind kind[MAX_INSERTS + 1] = {ARG_NONE};
    int top = 0;

    for (const char *s = tmpl; *s; s++) {
        const char *fmt, *next;
        size_t fl;
        int i;
        struct spec sp;

        if (*s == '%' && s[1] == '%') {
            s++;
            continue;
        }
        if (!(next = insert_at(s, &i, &fmt, &fl)))
            continue;
        if (kind[i] == ARG_NONE)
            kind[i] = parse_spec(fmt, fl, &sp) ? kind_of(&sp) : ARG_PTR;
        if (i > top)
            top = i;
        s = next - 1;
    }
    for (int i = 1; i <= top; i++) {
        if (kind[i] == ARG_INT)
            a->val[i] = (DWORD_PTR)va_arg(*va, unsigned int);
        else if (kind[i] == ARG_INT64)
            a->val[i] = (DWORD_PTR)va_arg(*va, unsigned long long);
        else
            a->val[i] = (DWORD_PTR)va_arg(*va, void *);
    }
}

static DWORD_PTR arg(const struct args *a, int i)
{
    return a->array ? a->arr[i - 1] : a->val[i];
}

/* Formats one insert into o; false for a format FormatMessage does not accept. */
static bool put_insert(struct out *o, const struct args *a, int i, const char *fmt, size_t fl)
{
    struct spec sp;
    char cfmt[48], buf[128], *tmp = NULL;
    DWORD_PTR v = arg(a, i);
    int n;

    if (!parse_spec(fmt, fl, &sp))
        return false;
    if (sp.conv == 's') {
        const char *str = (const char *)v;

        if (a->wide != sp.other) /* a UTF-16 string */
            str = tmp = wsaio_utf16_to_utf8((LPCWSTR)v, -1);
        snprintf(cfmt, sizeof(cfmt), "%%%ss", sp.head);
        n = snprintf(NULL, 0, cfmt, str ? str : "(null)");
        if (n >= 0) {
            char *big = malloc((size_t)n + 1);

            if (big) {
                snprintf(big, (size_t)n + 1, cfmt, str ? str : "(null)");
                fm_put(o, big, (size_t)n);
                free(big);
            } else {
                o->oom = true;
            }
        }
        free(tmp);
        return true;
    }
    if (sp.conv == 'p') {
        snprintf(cfmt, sizeof(cfmt), "%%%sp", sp.head);
        n = snprintf(buf, sizeof(buf), cfmt, (void *)v);
    } else if (sp.conv == 'c') {
        snprintf(cfmt, sizeof(cfmt), "%%%sc", sp.head);
        n = snprintf(buf, sizeof(buf), cfmt, (int)(v & 0xff));
    } else if (sp.i64) {
        snprintf(cfmt, sizeof(cfmt), "%%%sll%c", sp.head, sp.conv);
        n = (sp.conv == 'd' || sp.conv == 'i')
                ? snprintf(buf, sizeof(buf), cfmt, (long long)v)
                : snprintf(buf, sizeof(buf), cfmt, (unsigned long long)v);
    } else {
        snprintf(cfmt, sizeof(cfmt), "%%%s%c", sp.head, sp.conv);
        n = (sp.conv == 'd' || sp.conv == 'i')
                ? snprintf(buf, sizeof(buf), cfmt, (int)(uint32_t)v)
                : snprintf(buf, sizeof(buf), cfmt, (unsigned)(uint32_t)v);
    }
    if (n > 0)
        fm_put(o, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    return true;
}

/* Breaks lines longer than width at their last space (or at width), with "\r\n". */
static void wrap(struct out *o, size_t *line_start, unsigned width)
{
    while (!o->oom && o->len - *line_start > width) {
        size_t cut = *line_start + width, sp = cut;

        while (sp > *line_start && o->p[sp] != ' ')
            sp--;
        if (sp > *line_start) { /* the space becomes "\r\n" */
            fm_put(o, " ", 1);  /* room for one more character */
            if (o->oom)
                return;
            memmove(o->p + sp + 2, o->p + sp + 1, o->len - sp - 2);
            o->p[sp] = '\r';
            o->p[sp + 1] = '\n';
            *line_start = sp + 2;
        } else {
            fm_put(o, "  ", 2); /* room for the break */
            if (o->oom)
                return;
            memmove(o->p + cut + 2, o->p + cut, o->len - 2 - cut);
            o->p[cut] = '\r';
            o->p[cut + 1] = '\n';
            *line_start = cut + 2;
        }
    }
}

/*
 * Expands tmpl into o. width: the low byte of the flags (0: line breaks as in the text;
 * 0xFF: text line breaks become spaces; else also wrap at width). Returns false with the
 * last error set on a bad insert.
 */
static bool expand(struct out *o, const char *tmpl, const struct args *a, bool ignore_inserts,
                   unsigned width)
{
    size_t line_start = 0;

    for (const char *s = tmpl; *s && !o->oom;) {
        const char *fmt, *next;
        size_t fl;
        int i;

        if (*s == '\r' || *s == '\n') {
            s += (s[0] == '\r' && s[1] == '\n') ? 2 : 1;
            if (width == 0) {
                fm_put(o, "\r\n", 2);
                line_start = o->len;
            } else {
                fm_put(o, " ", 1);
            }
        } else if (*s != '%') {
            fm_put(o, s++, 1);
        } else if ((next = insert_at(s, &i, &fmt, &fl))) {
            if (ignore_inserts) {
                fm_put(o, s, (size_t)(next - s));
            } else if (!put_insert(o, a, i, fmt, fl)) {
                wsaio_set_error(ERROR_INVALID_PARAMETER);
                return false;
            }
            s = next;
        } else {
            char c = s[1];

            if (c == '\0') { /* a lone '%' at the end: refused, as Windows (and Wine) do */
                wsaio_set_error(ERROR_INVALID_PARAMETER);
                return false;
            }
            s += 2;
            if (c == '0')
                return true; /* ends the message, without a line break */
            if (c == 'n') {
                fm_put(o, "\r\n", 2);
                line_start = o->len;
            } else {
                fm_put(o, c == 't' ? "\t" : c == 'r' ? "\r" : &c, 1);
            }
        }
        if (width && width != FORMAT_MESSAGE_MAX_WIDTH_MASK)
            wrap(o, &line_start, width);
    }
    return true;
}

/* FORMAT_MESSAGE_FROM_SYSTEM accepts neutral and English requests; the table is English. */
static bool language_ok(DWORD lang)
{
    return PRIMARYLANGID(lang) == LANG_NEUTRAL || PRIMARYLANGID(lang) == LANG_ENGLISH;
}

/* The shared body: the formatted UTF-8 text in *res (malloc'd), or false (error set). */
static bool fm_format(DWORD flags, const char *source, DWORD id, DWORD lang, va_list *va, bool wide,
                      struct out *res)
{
    struct args a = {.array = (flags & FORMAT_MESSAGE_ARGUMENT_ARRAY) != 0, .wide = wide};
    bool ignore = (flags & FORMAT_MESSAGE_IGNORE_INSERTS) != 0;
    char *tmpl;
    bool ok;

    if (flags & FORMAT_MESSAGE_FROM_STRING) {
        if ((flags & (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_FROM_HMODULE)) || !source) {
            wsaio_set_error(ERROR_INVALID_PARAMETER);
            return false;
        }
        tmpl = strdup(source);
    } else if (flags & FORMAT_MESSAGE_FROM_SYSTEM) {
        const char *text = wsaio_system_message(id);

        if (!language_ok(lang)) {
            wsaio_set_error(ERROR_RESOURCE_LANG_NOT_FOUND);
            return false;
        }
        if (!text) {
            wsaio_set_error(ERROR_MR_MID_NOT_FOUND);
            return false;
        }
        tmpl = malloc(strlen(text) + 3); /* the table's lines end with a line break */
        if (tmpl)
            strcat(strcpy(tmpl, text), "\r\n");
    } else {
        /* FORMAT_MESSAGE_FROM_HMODULE alone: no module carries a message table here. */
        wsaio_set_error((flags & FORMAT_MESSAGE_FROM_HMODULE) ? ERROR_RESOURCE_TYPE_NOT_FOUND
                                                              : ERROR_INVALID_PARAMETER);
        return false;
    }
    if (!tmpl) {
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return false;
    }
    if (!ignore) {
        if (a.array)
            a.arr = (const DWORD_PTR *)va;
        else if (va)
            fetch_va(&a, tmpl, va);
        if (!va && strchr(tmpl, '%')) {
            for (const char *s = tmpl; (s = strchr(s, '%')); s += 2) {
                int i;
                const char *f;
                size_t fl;

                if (insert_at(s, &i, &f, &fl)) { /* inserts but no arguments */
                    free(tmpl);
                    wsaio_set_error(ERROR_INVALID_PARAMETER);
                    return false;
                }
                if (!s[1])
                    break;
            }
        }
    }
    memset(res, 0, sizeof(*res));
    fm_put(res, "", 0);
    ok = expand(res, tmpl, &a, ignore, flags & FORMAT_MESSAGE_MAX_WIDTH_MASK);
    free(tmpl);
    if (ok && res->oom) {
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        ok = false;
    }
    if (!ok)
        free(res->p);
    return ok;
}

/* Hands the result out: the caller's buffer (nSize characters) or a LocalAlloc'd one. */
static DWORD deliver(DWORD flags, const void *text, size_t len, size_t unit, void *buffer,
                     DWORD nSize)
{
    void *dst;

    if (!buffer) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        size_t n = len + 1 > nSize ? len + 1 : nSize;

        dst = LocalAlloc(LMEM_FIXED, n * unit);
        if (!dst)
            return 0;
        *(void **)buffer = dst;
    } else {
        if (len + 1 > nSize) {
            wsaio_set_error(ERROR_INSUFFICIENT_BUFFER);
            return 0;
        }
        dst = buffer;
    }
    memcpy(dst, text, (len + 1) * unit);
    return (DWORD)len;
}

WSAIO_EXPORT DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                         DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize,
                                         va_list *Arguments)
{
    struct out res;
    DWORD n;

    if (!fm_format(dwFlags, (const char *)lpSource, dwMessageId, dwLanguageId, Arguments, false,
                   &res))
        return 0;
    n = deliver(dwFlags, res.p, res.len, 1, lpBuffer, nSize);
    free(res.p);
    return n;
}

WSAIO_EXPORT DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                         DWORD dwLanguageId, LPWSTR lpBuffer, DWORD nSize,
                                         va_list *Arguments)
{
    char *source = NULL;
    struct out res;
    LPWSTR wide;
    DWORD n;

    if ((dwFlags & FORMAT_MESSAGE_FROM_STRING) && lpSource &&
        !(source = wsaio_utf16_to_utf8((LPCWSTR)lpSource, -1))) {
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    if (!fm_format(dwFlags, source, dwMessageId, dwLanguageId, Arguments, true, &res)) {
        free(source);
        return 0;
    }
    free(source);
    wide = wsaio_utf8_to_utf16(res.p);
    free(res.p);
    if (!wide) {
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    n = deliver(dwFlags, wide, (size_t)lstrlenW(wide), sizeof(WCHAR), lpBuffer, nSize);
    free(wide);
    return n;
}
