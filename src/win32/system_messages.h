/*
 * system_messages.h - the system message table behind FORMAT_MESSAGE_FROM_SYSTEM.
 */
#ifndef WSAIO_WIN32_SYSTEM_MESSAGES_H
#define WSAIO_WIN32_SYSTEM_MESSAGES_H

#include <windows.h>

/* The English text Windows gives for a Win32 or Winsock code (without the final line
 * break), or NULL for a code not in the table. */
const char *wsaio_system_message(DWORD code);

#endif /* WSAIO_WIN32_SYSTEM_MESSAGES_H */
