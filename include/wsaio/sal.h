/*
 * sal.h - Microsoft's source annotations (_In_, _Out_writes_(n), ...), which Microsoft's
 * samples put on parameters. They only inform Microsoft's code analysis: here every one of
 * them expands to nothing.
 */
#ifndef WSAIO_SAL_H
#define WSAIO_SAL_H

#define _In_
#define _In_opt_
#define _In_z_
#define _In_opt_z_
#define _In_reads_(n)
#define _In_reads_opt_(n)
#define _In_reads_bytes_(n)
#define _In_reads_bytes_opt_(n)
#define _In_reads_z_(n)
#define _Out_
#define _Out_opt_
#define _Out_writes_(n)
#define _Out_writes_opt_(n)
#define _Out_writes_bytes_(n)
#define _Out_writes_bytes_opt_(n)
#define _Out_writes_z_(n)
#define _Out_writes_to_(n, c)
#define _Out_writes_bytes_to_(n, c)
#define _Inout_
#define _Inout_opt_
#define _Inout_z_
#define _Inout_updates_(n)
#define _Inout_updates_bytes_(n)
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Deref_out_
#define _Ret_maybenull_
#define _Ret_notnull_
#define _Must_inspect_result_
#define _Check_return_
#define _Success_(expr)
#define _Printf_format_string_
#define _Use_decl_annotations_
#define _Field_size_(n)
#define _Field_size_bytes_(n)
#define _Reserved_
#define _Pre_
#define _Post_
#define _Null_terminated_
#define _In_range_(lo, hi)
#define _Analysis_assume_(expr)
#define _When_(expr, annotation)

#endif /* WSAIO_SAL_H */
