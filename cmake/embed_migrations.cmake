# Writes OUT: a C++ table of the migrations in DIR. A file NNNN_name.sql is common to every
# backend; NNNN_name.sqlite.sql or NNNN_name.postgresql.sql holds one backend's part.
file(GLOB files RELATIVE ${DIR} ${DIR}/*.sql)
list(SORT files)
set(body "// Generated from src/store/migrations by cmake/embed_migrations.cmake.\n#include \"store/internal/migrations.h\"\nnamespace cordon::store {\nconst std::vector<MigrationFile>& EmbeddedMigrations() {\n  static const std::vector<MigrationFile> files = {\n")
foreach(f ${files})
  file(READ ${DIR}/${f} sql)
  string(APPEND body "    {\"${f}\", R\"cordon_sql(${sql})cordon_sql\"},\n")
endforeach()
string(APPEND body "  };\n  return files;\n}\n}  // namespace cordon::store\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
