# WsaioTests.cmake - test discovery and registration, so tests/CMakeLists.txt stays short.
#
# Conformance files hold many cases, each declared on a line `TEST(name)` (harness.h); each
# case becomes one CTest test `<file>.<case>` that runs `<exe> <case>` in its own process.
# Unit files are one program each. A file is "threaded" (label `threaded`, run under TSan)
# when its source starts threads: it mentions CreateThread or harness_thread.

set(WSAIO_TEST_TIMEOUT 60 CACHE STRING "Per-test timeout in seconds")

# wsaio_source_is_threaded(<out-var> <source>)
function(wsaio_source_is_threaded out src)
  file(READ ${src} text)
  if(text MATCHES "CreateThread|harness_thread|unit_run_threads|pthread_create")
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

# wsaio_read_deviations(<file> <var>) sets <var> in the caller: the list of case names (or
# <file>.<case> names) from `<case> <reason>` lines; '#' starts a comment. Used for the
# cases where Wine deviates from the spec (wine-deviations.txt) and for wsaio's own
# documented deviations (wsaio-deviations.txt, docs/deviations.md).
function(wsaio_read_deviations file var)
  set(names "")
  if(EXISTS ${file})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
    file(STRINGS ${file} lines)
    foreach(line IN LISTS lines)
      if(line MATCHES "^[ \t]*([A-Za-z0-9_.]+)([ \t]+(.*))?$")
        if(NOT CMAKE_MATCH_3)
          message(FATAL_ERROR "${file}: '${CMAKE_MATCH_1}' has no reason; write `<case> <why>`")
        endif()
        list(APPEND names ${CMAKE_MATCH_1})
      elseif(NOT line MATCHES "^[ \t]*(#.*)?$")
        message(FATAL_ERROR "${file}: cannot read line '${line}'")
      endif()
    endforeach()
  endif()
  set(${var} ${names} PARENT_SCOPE)
endfunction()

# wsaio_test_program(<kind> <src> [SOURCES <more...>] LIBS <libs...>) builds the test program
# <kind>_<name> of the test file <src> (<name> is its base name), and sets in the caller
# `test_file` to <name>, `test_exe` to the target and `test_labels` to <kind>, plus
# `threaded` when the test file starts threads.
function(wsaio_test_program kind src)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  get_filename_component(file ${src} NAME_WE)
  add_executable(${kind}_${file} ${src} ${ARG_SOURCES})
  target_link_libraries(${kind}_${file} PRIVATE ${ARG_LIBS})
  # Re-run the discovery when a test file changes (a new TEST line is a new test).
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
  wsaio_source_is_threaded(threaded ${src})
  set(labels ${kind})
  if(threaded)
    list(APPEND labels threaded)
  endif()
  set(test_file ${file} PARENT_SCOPE)
  set(test_exe ${kind}_${file} PARENT_SCOPE)
  set(test_labels ${labels} PARENT_SCOPE)
endfunction()

# wsaio_test(<name> <labels> COMMAND <cmd...> [ENVIRONMENT <var=value...>]): one CTest test
# with the suite's timeout, exit 77 as "skipped". Natively (not under Wine) every test runs
# on both backends: <name> as wsaio chooses (io_uring where it can be set up) and
# <name>.epoll with WSAIO_BACKEND=epoll, label `epoll`, except the variants that only mean
# something on io_uring (WSAIO_URING_ENTRIES). wsaio_test_property() sets a property on both.
function(wsaio_test name labels)
  cmake_parse_arguments(ARG "" "" "COMMAND;ENVIRONMENT" ${ARGN})
  set(variants ${name})
  if(NOT WIN32 AND NOT "${ARG_ENVIRONMENT}" MATCHES "WSAIO_URING_ENTRIES")
    list(APPEND variants ${name}.epoll)
  endif()
  foreach(test IN LISTS variants)
    set(env ${ARG_ENVIRONMENT})
    set(test_labels ${labels})
    if(test MATCHES "\\.epoll$")
      list(APPEND env WSAIO_BACKEND=epoll)
      list(APPEND test_labels epoll)
    endif()
    add_test(NAME ${test} COMMAND ${ARG_COMMAND})
    set_tests_properties(${test} PROPERTIES TIMEOUT ${WSAIO_TEST_TIMEOUT} SKIP_RETURN_CODE 77
                                            LABELS "${test_labels}")
    if(env)
      set_tests_properties(${test} PROPERTIES ENVIRONMENT "${env}")
    endif()
  endforeach()
endfunction()

# wsaio_test_property(<name> <property> <value...>): sets it on <name> and its .epoll twin.
function(wsaio_test_property name prop)
  foreach(test ${name} ${name}.epoll)
    if(TEST ${test})
      set_property(TEST ${test} APPEND PROPERTY ${prop} ${ARGN})
    endif()
  endforeach()
endfunction()

# wsaio_add_conformance_file(<source> HARNESS <harness.c> LIBS <libs...>
#                            [DEVIATIONS <names...> DEVIATION_LABEL <label>])
function(wsaio_add_conformance_file src)
  cmake_parse_arguments(ARG "" "HARNESS;DEVIATION_LABEL" "LIBS;DEVIATIONS" ${ARGN})
  wsaio_test_program(conformance ${src} SOURCES ${ARG_HARNESS} LIBS ${ARG_LIBS})

  file(STRINGS ${src} lines REGEX "^TEST\\(([A-Za-z0-9_]+)\\)")
  if(NOT lines)
    message(WARNING "${src}: no TEST(name) lines, no test registered")
  endif()
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^TEST\\(([A-Za-z0-9_]+)\\).*" "\\1" case "${line}")
    set(test ${test_file}.${case})
    if(TEST ${test})
      message(FATAL_ERROR "${src}: TEST(${case}) declared twice")
    endif()
    wsaio_test(${test} "${test_labels}" COMMAND ${test_exe} ${case})
    if(case IN_LIST ARG_DEVIATIONS OR test IN_LIST ARG_DEVIATIONS)
      # The implementation under test deviates from the spec here, for the reason written
      # in the deviations file: the case must fail at its check (the harness's own
      # "FAIL <case> at" line; a crash or a start-up failure does not count), and an
      # unexpected pass shows up as a failure to look at.
      wsaio_test_property(${test} PASS_REGULAR_EXPRESSION "(^|\n)FAIL ${case} at ")
      wsaio_test_property(${test} LABELS ${ARG_DEVIATION_LABEL})
    endif()
  endforeach()
endfunction()

# wsaio_add_unit_file(<source> LIBS <libs...> INCLUDES <dirs...>)
# A file that prints wsaio_wait_mechanism() is also run with the futex-broadcast fallback
# (WSAIO_NO_FUTEX_WAITV=1), so both wait mechanisms are tested on every kernel; one that
# mentions WSAIO_URING_ENTRIES also runs on a tiny io_uring.
function(wsaio_add_unit_file src)
  cmake_parse_arguments(ARG "" "" "LIBS;INCLUDES" ${ARGN})
  wsaio_test_program(unit ${src} LIBS ${ARG_LIBS})
  target_include_directories(${test_exe} PRIVATE ${ARG_INCLUDES})

  wsaio_test(unit.${test_file} "${test_labels}" COMMAND ${test_exe})
  file(READ ${src} text)
  if(text MATCHES "wsaio_wait_mechanism")
    wsaio_test(unit.${test_file}.futex-broadcast "${test_labels}" COMMAND ${test_exe}
               ENVIRONMENT WSAIO_NO_FUTEX_WAITV=1)
  endif()
  # A file that mentions WSAIO_URING_ENTRIES also runs on a 2-entry ring (completion queue
  # of 4), so that full submission and completion queues are crossed all the time.
  if(text MATCHES "WSAIO_URING_ENTRIES")
    wsaio_test(unit.${test_file}.tiny-ring "${test_labels}" COMMAND ${test_exe}
               ENVIRONMENT WSAIO_URING_ENTRIES=2)
  endif()
  # A file that mentions WSAIO_NETCHANGE_HOOK also runs with it set: network changes come
  # from the test hook, so the request machinery is tested where real changes are refused.
  if(text MATCHES "WSAIO_NETCHANGE_HOOK")
    wsaio_test(unit.${test_file}.hook "${test_labels}" COMMAND ${test_exe}
               ENVIRONMENT WSAIO_NETCHANGE_HOOK=1)
  endif()
endfunction()
