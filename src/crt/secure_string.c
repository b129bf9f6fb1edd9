/*
 * secure_string.c - strcpy_s, strcat_s, strncpy_s, strncat_s, memcpy_s, memmove_s,
 * strtok_s: Microsoft's bounded forms, with the error results Microsoft documents for an
 * invalid-parameter handler that returns (wsaio_crt.h).
 */
#include <errno.h>
#include <string.h>

#include <windows.h>

/* Fails with err: errno set, dest emptied when there is a dest to empty. */
static errno_t fail(char *dest, rsize_t size, errno_t err)
{
    if (dest != NULL && size != 0)
        dest[0] = '\0';
    errno = err;
    return err;
}

/*
 * Copies at most count characters of src to dest + at (dest holds size), terminated.
 * count _TRUNCATE: cut to fit and STRUNCATE; otherwise ERANGE (dest emptied) if too long.
 */
static errno_t put(char *dest, rsize_t size, rsize_t at, const char *src, rsize_t count)
{
    rsize_t room = size - at - 1; /* characters that fit after `at`, terminator kept */
    rsize_t n = 0;

    while (n < count && src[n] != '\0' && n < room)
        n++;
    if (n < count && src[n] != '\0') {
        if (count != _TRUNCATE)
            return fail(dest, size, ERANGE);
        memcpy(dest + at, src, n);
        dest[at + n] = '\0';
        return STRUNCATE;
    }
    memcpy(dest + at, src, n);
    dest[at + n] = '\0';
    return 0;
}

WSAIO_EXPORT errno_t strncpy_s(char *dest, rsize_t size, const char *src, rsize_t count)
{
    if (count == 0 && dest == NULL && size == 0)
        return 0;
    if (dest == NULL || size == 0)
        return fail(NULL, 0, EINVAL);
    if (count == 0) {
        dest[0] = '\0';
        return 0;
    }
    if (src == NULL)
        return fail(dest, size, EINVAL);
    return put(dest, size, 0, src, count);
}

WSAIO_EXPORT errno_t strcpy_s(char *dest, rsize_t size, const char *src)
{
    if (dest == NULL || size == 0)
        return fail(NULL, 0, EINVAL);
    if (src == NULL)
        return fail(dest, size, EINVAL);
    return put(dest, size, 0, src, (rsize_t)-2); /* no limit, and not _TRUNCATE */
}

WSAIO_EXPORT errno_t strncat_s(char *dest, rsize_t size, const char *src, rsize_t count)
{
    size_t used;

    if (count == 0 && dest == NULL && size == 0)
        return 0;
    if (dest == NULL || size == 0)
        return fail(NULL, 0, EINVAL);
    used = strnlen(dest, size);
    if (used == size) /* not terminated within size */
        return fail(dest, size, EINVAL);
    if (count == 0)
        return 0;
    if (src == NULL)
        return fail(dest, size, EINVAL);
    return put(dest, size, used, src, count);
}

WSAIO_EXPORT errno_t strcat_s(char *dest, rsize_t size, const char *src)
{
    if (src == NULL && dest != NULL && size != 0)
        return fail(dest, size, EINVAL);
    return strncat_s(dest, size, src, (rsize_t)-2);
}

WSAIO_EXPORT errno_t memcpy_s(void *dest, rsize_t size, const void *src, rsize_t count)
{
    if (count == 0)
        return 0;
    if (dest == NULL)
        return errno = EINVAL;
    if (src == NULL || size < count) {
        memset(dest, 0, size);
        return errno = src == NULL ? EINVAL : ERANGE;
    }
    memcpy(dest, src, count);
    return 0;
}

WSAIO_EXPORT errno_t memmove_s(void *dest, rsize_t size, const void *src, rsize_t count)
{
    if (count == 0)
        return 0;
    if (dest == NULL || src == NULL)
        return errno = EINVAL;
    if (size < count)
        return errno = ERANGE;
    memmove(dest, src, count);
    return 0;
}

WSAIO_EXPORT char *strtok_s(char *str, const char *delim, char **context)
{
    if (delim == NULL || context == NULL || (str == NULL && *context == NULL)) {
        errno = EINVAL;
        return NULL;
    }
    return strtok_r(str, delim, context);
}
