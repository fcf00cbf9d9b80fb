/** Rows an identity list shows at first, and adds with each "Show more" (its own file: the tests read it too). */
export const IDENTITY_PAGE_SIZE = 50;
