# WsaioHeaderSpellings.cmake - forwarding headers for the spellings in header-spellings.txt.
#
# wsaio_header_spellings(<dir> <out-var> [<headers-dir>]) writes <dir>/<Spelling> for every line of the list,
# each one `#include "<header>"`, and sets <out-var> to the files written. The quoted form
# looks next to the including file first, then along the include path: installed next to
# wsaio's headers it finds wsaio's; in a build-tree directory of its own it finds the
# header through the include path (wsaio's in the native build, mingw-w64's in the Wine
# build, where only the lower-case names exist on a case-sensitive file system). With
# <headers-dir>, every <header> must exist there (a typo in the list fails at configure).
set(WSAIO_HEADER_SPELLINGS ${CMAKE_CURRENT_LIST_DIR}/header-spellings.txt)

function(wsaio_header_spellings dir out)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${WSAIO_HEADER_SPELLINGS})
  file(STRINGS ${WSAIO_HEADER_SPELLINGS} lines)
  set(files "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*(#.*)?$")
      continue()
    endif()
    if(NOT line MATCHES "^([A-Za-z0-9_.]+)[ \t]+([a-z0-9_.]+)[ \t]*$")
      message(FATAL_ERROR "${WSAIO_HEADER_SPELLINGS}: cannot read line '${line}'")
    endif()
    set(spelling ${CMAKE_MATCH_1})
    set(header ${CMAKE_MATCH_2})
    if(spelling STREQUAL header)
      message(FATAL_ERROR "${WSAIO_HEADER_SPELLINGS}: '${spelling}' is the header itself")
    endif()
    # file(CONFIGURE) rewrites only on change: no rebuild of everything at each configure.
    if(ARGC GREATER 2 AND NOT EXISTS ${ARGV2}/${header})
      message(FATAL_ERROR "${WSAIO_HEADER_SPELLINGS}: ${spelling} names ${header}, which "
                          "${ARGV2} does not have")
    endif()
    file(CONFIGURE OUTPUT ${dir}/${spelling} CONTENT
         "/* ${spelling} - the spelling Windows programs use for <${header}> (generated from\n * header-spellings.txt). */\n#include \"${header}\"\n"
         @ONLY)
    list(APPEND files ${dir}/${spelling})
  endforeach()
  set(${out} ${files} PARENT_SCOPE)
endfunction()
