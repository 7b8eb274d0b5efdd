-- Numbered 0007: 0006 is taken by issue 9 (parameters, claims, transfers), merged separately.
ALTER TYPE "public"."case_outcome" ADD VALUE 'failed';