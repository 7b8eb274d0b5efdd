-- Numbered 0009: 0006–0008 are issues 9 and 10 (parameters, risk controls, supervision), merged first.
ALTER TYPE "public"."case_outcome" ADD VALUE 'failed';