// decode_pgoutput: one pgoutput message (the payload of an XLogData) → a typed message.
//
// Wire grammar (protocol version 1; integers big-endian; String = bytes up to a NUL):
//   Begin    'B' Int64 final_lsn  Int64 commit_time  Int32 xid
//   Commit   'C' Int8 flags  Int64 commit_lsn  Int64 end_lsn  Int64 commit_time
//   Origin   'O' Int64 commit_lsn  String name
//   Relation 'R' Int32 oid  String schema  String name  Int8 replica_identity  Int16 ncols
//                { Int8 flags(1 = key)  String name  Int32 type_oid  Int32 typmod } * ncols
//   Type     'Y' Int32 oid  String schema  String name
//   Insert   'I' Int32 oid  'N' TupleData
//   Update   'U' Int32 oid  [('K' | 'O') TupleData]  'N' TupleData
//   Delete   'D' Int32 oid  ('K' | 'O') TupleData
//   Truncate 'T' Int32 nrels  Int8 options  Int32 oid * nrels
//   Message  'M' Int8 flags  Int64 lsn  String prefix  Int32 length  Byte[length] content
//   TupleData := Int16 ncols { 'n' | 'u' | ('t' | 'b') Int32 length Byte[length] } * ncols
// Every read is bounds-checked; trailing bytes, an unknown tag or kind, or a truncated message is
// an Errc::parse error naming the message and the field.
#pragma once

#include <span>
#include <string_view>

#include "common/result.hpp"
#include "pg/pgoutput_messages.hpp"

namespace sl::pg {

Result<PgOutputMessage> decode_pgoutput(std::string_view payload);

}  // namespace sl::pg
