# WsaioTests.cmake - declaration and registration of the tests, so tests/CMakeLists.txt stays
# short. docs/testing.md says how to add a test.
#
# Every conformance and unit file is declared in tests/variants.cmake, one line each:
#   wsaio_declare(<kind> <file> [THREADED] [BACKENDS uring|epoll...] [VARIANTS <variant...>])
# THREADED gives its tests the label `threaded` (the TSan stage runs those); BACKENDS says
# where it runs (default both: `<name>` as wsaio chooses, io_uring where it can be set up,
# and `<name>.epoll`); VARIANTS names extra runs declared with wsaio_variant(). A file with
# no declaration, a declaration with no file, and a file that starts threads but is not
# declared THREADED are configure errors.
#
# Conformance files hold many cases, each declared on a line `TEST(name)` (harness.h); each
# case becomes one CTest test `<file>.<case>` that runs `<exe> <case>` in its own process.
# Unit files are one program each, run as `unit.<file>` (all of its cases in one process).

set(WSAIO_TEST_TIMEOUT 60 CACHE STRING "Per-test timeout in seconds")

# Calls that start a thread: a file that makes one must be declared THREADED.
set(WSAIO_THREAD_STARTERS
    "CreateThread|_beginthreadex|pthread_create|harness_thread|unit_run_threads|unit_race_close|harness_delayed_send|harness_watchdog_start")

# wsaio_variant(<name> ENVIRONMENT <var=value...> [BACKENDS <backend...>]): an extra run of a
# test under the given environment, named <test>.<name>; BACKENDS as in wsaio_test().
function(wsaio_variant name)
  cmake_parse_arguments(ARG "" "" "ENVIRONMENT;BACKENDS" ${ARGN})
  if(NOT ARG_ENVIRONMENT)
    message(FATAL_ERROR "wsaio_variant(${name}): no ENVIRONMENT")
  endif()
  set_property(GLOBAL PROPERTY WSAIO_VARIANT_${name}_ENV "${ARG_ENVIRONMENT}")
  set_property(GLOBAL PROPERTY WSAIO_VARIANT_${name}_BACKENDS "${ARG_BACKENDS}")
  set_property(GLOBAL APPEND PROPERTY WSAIO_VARIANTS ${name})
endfunction()

# wsaio_declare(<kind> <file> [THREADED] [BACKENDS <backend...>] [VARIANTS <variant...>]):
# the declaration of the test file <kind>/<file>.c (see the top of this file).
function(wsaio_declare kind file)
  cmake_parse_arguments(ARG "THREADED" "" "BACKENDS;VARIANTS" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "wsaio_declare(${kind} ${file}): unknown '${ARG_UNPARSED_ARGUMENTS}'")
  endif()
  get_property(known GLOBAL PROPERTY WSAIO_VARIANTS)
  foreach(v IN LISTS ARG_VARIANTS)
    if(NOT v IN_LIST known)
      message(FATAL_ERROR "wsaio_declare(${kind} ${file}): no variant '${v}' (wsaio_variant)")
    endif()
  endforeach()
  get_property(declared GLOBAL PROPERTY WSAIO_DECLARED_${kind})
  if(file IN_LIST declared)
    message(FATAL_ERROR "wsaio_declare(${kind} ${file}): declared twice")
  endif()
  set_property(GLOBAL APPEND PROPERTY WSAIO_DECLARED_${kind} ${file})
  set_property(GLOBAL PROPERTY WSAIO_DECL_${kind}_${file}_THREADED ${ARG_THREADED})
  set_property(GLOBAL PROPERTY WSAIO_DECL_${kind}_${file}_BACKENDS "${ARG_BACKENDS}")
  set_property(GLOBAL PROPERTY WSAIO_DECL_${kind}_${file}_VARIANTS "${ARG_VARIANTS}")
endfunction()

# wsaio_check_declared(<kind> <sources...>): every source has a declaration and every
# declaration a source.
function(wsaio_check_declared kind)
  get_property(declared GLOBAL PROPERTY WSAIO_DECLARED_${kind})
  set(files "")
  foreach(src IN LISTS ARGN)
    get_filename_component(file ${src} NAME_WE)
    list(APPEND files ${file})
    if(NOT file IN_LIST declared)
      message(FATAL_ERROR "${src} is not declared: add `wsaio_declare(${kind} ${file} ...)` "
                          "to tests/variants.cmake (docs/testing.md)")
    endif()
  endforeach()
  foreach(file IN LISTS declared)
    if(NOT file IN_LIST files)
      message(FATAL_ERROR "tests/variants.cmake declares ${kind} ${file}, which has no source")
    endif()
  endforeach()
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
# `test_file` to <name>, `test_exe` to the target, `test_labels` to <kind> (plus `threaded`
# when declared THREADED), `test_backends` and `test_variants` from its declaration.
function(wsaio_test_program kind src)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  get_filename_component(file ${src} NAME_WE)
  add_executable(${kind}_${file} ${src} ${ARG_SOURCES})
  target_link_libraries(${kind}_${file} PRIVATE ${ARG_LIBS})
  # Re-run the configuration when a test file changes (a new TEST line is a new test).
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
  get_property(threaded GLOBAL PROPERTY WSAIO_DECL_${kind}_${file}_THREADED)
  get_property(backends GLOBAL PROPERTY WSAIO_DECL_${kind}_${file}_BACKENDS)
  get_property(variants GLOBAL PROPERTY WSAIO_DECL_${kind}_${file}_VARIANTS)
  # The declaration is checked against the source, one way only: a file that starts a thread
  # must say so (TSan runs only the threaded tests); THREADED on a file that does not is fine.
  file(READ ${src} text)
  if(NOT threaded AND text MATCHES "(${WSAIO_THREAD_STARTERS})[ \t]*\\(")
    message(FATAL_ERROR "${src} starts threads (it calls ${CMAKE_MATCH_1}) but is not declared "
                        "THREADED: write `wsaio_declare(${kind} ${file} THREADED ...)` in "
                        "tests/variants.cmake")
  endif()
  set(labels ${kind})
  if(threaded)
    list(APPEND labels threaded)
  endif()
  set(test_file ${file} PARENT_SCOPE)
  set(test_exe ${kind}_${file} PARENT_SCOPE)
  set(test_labels ${labels} PARENT_SCOPE)
  set(test_backends ${backends} PARENT_SCOPE)
  set(test_variants ${variants} PARENT_SCOPE)
endfunction()

# wsaio_test(<name> <labels> COMMAND <cmd...> [ENVIRONMENT <var=value...>]
#            [BACKENDS <backend...>]): one CTest test per backend, with the suite's timeout,
# exit 77 as "skipped". BACKENDS (default `uring epoll`): `uring` is the test <name> with the
# backend wsaio chooses (io_uring where it can be set up), `epoll` is <name>.epoll with
# WSAIO_BACKEND=epoll and the label `epoll`. Under Wine only <name> exists (the real
# ws2_32). wsaio_test_property() sets a property on both.
function(wsaio_test name labels)
  cmake_parse_arguments(ARG "" "" "COMMAND;ENVIRONMENT;BACKENDS" ${ARGN})
  if(NOT ARG_BACKENDS)
    set(ARG_BACKENDS uring epoll)
  endif()
  set(variants "")
  foreach(backend IN LISTS ARG_BACKENDS)
    if(backend STREQUAL "uring")
      list(APPEND variants ${name})
    elseif(backend STREQUAL "epoll")
      if(NOT WIN32)
        list(APPEND variants ${name}.epoll)
      endif()
    else()
      message(FATAL_ERROR "${name}: unknown backend '${backend}' (uring, epoll)")
    endif()
  endforeach()
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

# wsaio_test_variants(<name> <labels> COMMAND <cmd...>): the test <name> on the backends of
# the file's declaration (test_backends), and <name>.<variant> for each of its declared
# variants (test_variants), on the backends both allow.
macro(wsaio_test_variants name labels)
  wsaio_test(${name} "${labels}" ${ARGN} BACKENDS ${test_backends})
  foreach(variant IN LISTS test_variants)
    get_property(venv GLOBAL PROPERTY WSAIO_VARIANT_${variant}_ENV)
    get_property(vbackends GLOBAL PROPERTY WSAIO_VARIANT_${variant}_BACKENDS)
    if(NOT vbackends)
      set(vbackends ${test_backends})
    elseif(test_backends)
      set(allowed ${vbackends})
      set(vbackends "")
      foreach(b IN LISTS allowed)
        if(b IN_LIST test_backends)
          list(APPEND vbackends ${b})
        endif()
      endforeach()
    endif()
    if(vbackends OR NOT test_backends)
      wsaio_test(${name}.${variant} "${labels}" ${ARGN} ENVIRONMENT ${venv}
                 BACKENDS ${vbackends})
    endif()
  endforeach()
endmacro()

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
    wsaio_test_variants(${test} "${test_labels}" COMMAND ${test_exe} ${case})
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

# wsaio_add_unit_file(<source> HARNESS <harness.c> LIBS <libs...> INCLUDES <dirs...>): the
# unit test unit.<file>, which runs every TEST case of the file in one process, and its
# declared variants (tests/variants.cmake).
function(wsaio_add_unit_file src)
  cmake_parse_arguments(ARG "" "HARNESS" "LIBS;INCLUDES" ${ARGN})
  wsaio_test_program(unit ${src} SOURCES ${ARG_HARNESS} LIBS ${ARG_LIBS})
  target_include_directories(${test_exe} PRIVATE ${ARG_INCLUDES})
  wsaio_test_variants(unit.${test_file} "${test_labels}" COMMAND ${test_exe})
endfunction()
