# tests/variants.cmake - which test runs how, declared per file (cmake/WsaioTests.cmake,
# docs/testing.md). Every file of tests/conformance and tests/unit has one line:
#   wsaio_declare(<kind> <file> [THREADED] [BACKENDS uring|epoll...] [VARIANTS <variant...>])
# THREADED: it starts threads (label `threaded`, run under TSan); it is a configure error to
# leave it out on a file that calls CreateThread, _beginthreadex, pthread_create,
# harness_thread, unit_run_threads, harness_delayed_send or harness_watchdog_start.
# BACKENDS: default both (`<test>` and `<test>.epoll`).
# VARIANTS: extra runs `<test>.<variant>` (each on both backends unless the variant says).

# ---- Variants ------------------------------------------------------------------------------
# Both wait mechanisms on every kernel: the futex-broadcast fallback instead of futex_waitv.
wsaio_variant(futex-broadcast ENVIRONMENT WSAIO_NO_FUTEX_WAITV=1)
# A 2-entry io_uring (completion queue of 4): full submission and completion queues all the
# time. Means nothing on epoll.
wsaio_variant(tiny-ring ENVIRONMENT WSAIO_URING_ENTRIES=2 BACKENDS uring)
# Network changes come from the test hook: the request machinery is tested where real
# changes are refused.
wsaio_variant(hook ENVIRONMENT WSAIO_NETCHANGE_HOOK=1)

# ---- Conformance files (tests/conformance, one test per TEST case) ------------------------
wsaio_declare(conformance a_startup THREADED)
wsaio_declare(conformance a_startup_io)
wsaio_declare(conformance b_socket THREADED)
wsaio_declare(conformance c_close_blocked THREADED)
wsaio_declare(conformance c_closesocket THREADED)
wsaio_declare(conformance d_recv)
wsaio_declare(conformance d_reset_sequences THREADED)
wsaio_declare(conformance e_recvfrom)
wsaio_declare(conformance f_send THREADED)
wsaio_declare(conformance g_sendto)
wsaio_declare(conformance h_overlapped_result THREADED)
wsaio_declare(conformance i_alertable THREADED)
wsaio_declare(conformance i_completion_io THREADED)
wsaio_declare(conformance j_address_route)
wsaio_declare(conformance j_ioctl_basic)
wsaio_declare(conformance j_select_default_setsize)
wsaio_declare(conformance j_select_poll)
wsaio_declare(conformance k_events THREADED)
wsaio_declare(conformance l_wait THREADED)
wsaio_declare(conformance m_eventselect THREADED)
wsaio_declare(conformance n_byteorder)
wsaio_declare(conformance o_ports THREADED)
wsaio_declare(conformance p_cancel THREADED)
wsaio_declare(conformance q_acceptex)
wsaio_declare(conformance r_connectex)
wsaio_declare(conformance s_disconnectex)
wsaio_declare(conformance t_ordering THREADED)
wsaio_declare(conformance v_constants)
wsaio_declare(conformance w_accept_connect)
wsaio_declare(conformance w_format_message)
wsaio_declare(conformance w_heap)
wsaio_declare(conformance w_misc THREADED)
wsaio_declare(conformance w_sync_objects THREADED)
wsaio_declare(conformance x_crt)
wsaio_declare(conformance x_names)
wsaio_declare(conformance x_transmitfile)
wsaio_declare(conformance y_bind_reuse)
wsaio_declare(conformance y_msg)

# ---- Whole programs (tests/programs, one test per file, built as C and as C++) ----------
wsaio_declare(program completion_routine_echo THREADED)
wsaio_declare(program event_echo_server THREADED)
wsaio_declare(program iocp_post_pool THREADED)
wsaio_declare(program iocp_server_run THREADED)

# ---- Unit files (tests/unit, Linux only, one test per file) -------------------------------
wsaio_declare(unit apc_lifetime THREADED)
wsaio_declare(unit cancel_paths THREADED)
wsaio_declare(unit cancel_races THREADED)
wsaio_declare(unit close_vs_change THREADED)
wsaio_declare(unit close_vs_select THREADED)
wsaio_declare(unit connect_reuse)
wsaio_declare(unit connection_timeout)
wsaio_declare(unit console_ctrl THREADED)
wsaio_declare(unit crt_conio)
wsaio_declare(unit crt_edges)
wsaio_declare(unit engine_stress THREADED VARIANTS tiny-ring)
wsaio_declare(unit fd_exhaustion)
wsaio_declare(unit file_flags)
wsaio_declare(unit fork_child THREADED)
wsaio_declare(unit handle_races THREADED)
wsaio_declare(unit hot_path_alloc)
wsaio_declare(unit internal_fd_race THREADED)
wsaio_declare(unit internal_fds)
wsaio_declare(unit lock_order)
wsaio_declare(unit kernel32_bad_pointers THREADED)
wsaio_declare(unit large_blocking_send THREADED)
wsaio_declare(unit large_buffers THREADED)
wsaio_declare(unit memory_peak)
wsaio_declare(unit messagebox)
wsaio_declare(unit netchange THREADED VARIANTS hook)
wsaio_declare(unit progress_handover THREADED)
wsaio_declare(unit progress_takeover THREADED)
wsaio_declare(unit select_counts)
wsaio_declare(unit setup_race THREADED)
wsaio_declare(unit std_handles)
wsaio_declare(unit sync_objects_stress THREADED VARIANTS futex-broadcast)
wsaio_declare(unit thread_exhaustion)
wsaio_declare(unit transmit_blocking_mode THREADED)
wsaio_declare(unit transmit_file_edges)
wsaio_declare(unit transmit_no_copy THREADED)
wsaio_declare(unit unmapped_buffer)
wsaio_declare(unit wait_races THREADED VARIANTS futex-broadcast)
