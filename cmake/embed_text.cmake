# Writes OUT: a C++ function NAME() returning the text of IN.
file(READ ${IN} text)
file(WRITE ${OUT}.tmp "// Generated from ${IN} by cmake/embed_text.cmake.\n#include <string_view>\nnamespace cordon::app {\nstd::string_view ${NAME}();\nstd::string_view ${NAME}() {\n  return R\"cordon_text(${text})cordon_text\";\n}\n}  // namespace cordon::app\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
