/**
 * Actions against a choice are caught (SPEC §11.5).
 * STUB — being written (issue 9, workstream W6). Signatures are the contract.
 */
export {};
